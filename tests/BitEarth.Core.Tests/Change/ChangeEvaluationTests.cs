using System.Globalization;
using BitEarth.Core.Change;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Synthetic;
using Xunit.Abstractions;

namespace BitEarth.Core.Tests.Change;

/// <summary>
/// Query by change on the synthetic dated pairs (10 places per transition, S2 and S1), hashed by LSH fitted on them:
/// retrieving the same transition beats chance and the after-code-only baseline.
/// </summary>
public class ChangeEvaluationTests(ITestOutputHelper output)
{
    private const int K = 10;
    private static readonly int Places = 10 * SyntheticChanges.Transitions.Count;
    private static readonly List<Patch> Patches =
        [.. SyntheticChanges.Generate(Places, seed: 3).Select(b => PatchBlobReader.Read(b.Name, new MemoryStream(b.Content)))];

    private static IReadOnlyList<ChangePair> Pairs(Modality modality, int bits)
    {
        var patches = Patches.Where(p => p.Modality == modality).ToList();
        var hasher = LshHasher.Fit(patches, bits, seed: 42);
        return DatedPairs.From(patches.Select(p => new DatedPatch(p.Id, p.Modality, PlaceKey.Of(p.Footprint), p.AcquiredAt, hasher.Hash(p), p.Labels)));
    }

    [Fact]
    public void Every_place_is_one_pair_and_its_labels_name_its_transition()
    {
        var pairs = Pairs(Modality.S2, 64);
        Assert.Equal(Places, pairs.Count);
        var byTransition = pairs.GroupBy(ChangeEvaluation.TransitionOf).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(SyntheticChanges.Transitions.Count, byTransition.Count);
        Assert.All(byTransition.Values, count => Assert.Equal(10, count));
        Assert.Equal(10, byTransition["unchanged"]);
        Assert.Equal(10, byTransition["Broad-leaved forest -> Sparsely vegetated areas"]);
        Assert.All(pairs, p => Assert.True(p.Before.AcquiredAt < p.After.AcquiredAt));
    }

    [Theory]
    [InlineData(Modality.S2)]
    [InlineData(Modality.S1)]
    public void Same_transition_is_retrieved_above_chance_and_above_the_after_code_alone(Modality modality)
    {
        var pairs = Pairs(modality, 64);
        double chance = ChangeEvaluation.Chance(pairs, K, seed: 1);
        var scores = Enum.GetValues<ChangeMetric>().ToDictionary(m => m, m => ChangeEvaluation.MeanAveragePrecision(pairs, m, K));
        var figures = string.Join(", ", scores.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value:F3}")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{modality}, LSH 64 bits, {pairs.Count} pairs, mAP@{K}: chance {chance:F3}, {figures}"));
        Assert.InRange(chance, 0.15, 0.45); // five transitions in equal shares; AP@k averages over the relevant hits found, so chance is above 1/5
        Assert.True(scores[ChangeSearch.DefaultMetric] > chance + 0.1, $"{ChangeSearch.DefaultMetric} {scores[ChangeSearch.DefaultMetric]:F3} vs chance {chance:F3}");
        Assert.True(scores[ChangeSearch.DefaultMetric] > scores[ChangeMetric.AfterOnly]);
    }

    [Fact]
    public void A_pair_that_is_not_one_change_of_one_place_says_why()
    {
        var pairs = Pairs(Modality.S2, 32);
        var (a, b) = (pairs[0], pairs[1]);
        Assert.Null(DatedPairs.Problem(a.Before, a.After));
        Assert.Contains("same patch", Why(a.Before, a.Before));
        Assert.Contains("earlier", Why(a.After, a.Before));
        Assert.Contains("same place", Why(a.Before, b.After));
        Assert.Contains("no acquisition date", Why(a.Before with { AcquiredAt = null }, a.After));
        var s1 = Pairs(Modality.S1, 32)[0];
        Assert.Contains("one modality", Why(a.Before, s1.After));
    }

    private static string Why(DatedPatch before, DatedPatch after) => DatedPairs.Problem(before, after) ?? "";
}
