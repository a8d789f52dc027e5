using BitEarth.Core.Codes;
using BitEarth.Core.Evaluation;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Synthetic;
using BitEarth.Core.Tests.Patches;
using Xunit.Abstractions;

namespace BitEarth.Core.Tests.Evaluation;

/// <summary>
/// Simulated relevance feedback (LSH-64 seed 42, exact search, k = 10): each query's top 10 are judged by label
/// (relevant when they share one with the query), the judged ids go back as relevant/irrelevant as the explorer sends
/// them, and the refined query is searched again; a second round judges the new top 10 and sends all judgments so far.
/// mAP@10 is given three ways: as the explorer shows the ranking (irrelevant ones left out, relevant ones kept), by the
/// refined code alone (nothing left out), and over the residual collection (every judged patch left out; the strict
/// measure, since re-finding judged relevant patches is no gain to a user), beside the unrefined query's ranking of that
/// same residual collection, which is what the refined one must beat.
/// </summary>
public class RelevanceFeedbackEvaluationTests(ITestOutputHelper output)
{
    private const int K = 10;

    [Fact]
    public void Feedback_raises_map_at_10_on_eurosat()
    {
        var patches = Directory.EnumerateFiles(SharedData.EuroSat, "*.tif", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal).Select(EuroSatReader.ReadFile).ToList();
        var rounds = Simulate(patches);
        Report("EuroSAT (120 patches, 10 classes)", rounds);
        Assert.True(rounds[1].Shown > rounds[0].Shown && rounds[2].Shown > rounds[1].Shown, "feedback did not help");
        Assert.True(rounds[1].CodeOnly > rounds[0].CodeOnly, "the refined code alone did not help");
    }

    [Fact]
    public void Feedback_raises_map_at_10_on_the_synthetic_archive()
    {
        var patches = SyntheticArchive.Generate(150, seed: 7).Select(b => PatchBlobReader.Read(b.Name, b.Content))
            .Where(p => p.Modality == Modality.S2).ToList();
        var rounds = Simulate(patches);
        Report("synthetic S2 (150 patches, 1-4 CLC labels)", rounds);
        Assert.True(rounds[1].Shown > rounds[0].Shown && rounds[2].Shown > rounds[1].Shown, "feedback did not help");
    }

    private void Report(string archive, Round[] rounds)
    {
        output.WriteLine($"{archive}: mAP@10 as shown / by the code alone / residual collection (unrefined query on it)");
        for (int r = 0; r < rounds.Length; r++)
            output.WriteLine($"  round {r}: {rounds[r].Shown:F3} / {rounds[r].CodeOnly:F3} / {rounds[r].Residual:F3} ({rounds[r].ResidualUnrefined:F3})");
    }

    private static Round[] Simulate(List<Patch> patches)
    {
        var hasher = LshHasher.Create(64, 42);
        var codes = patches.Select(hasher.Hash).ToList();
        var sums = new double[3, 4];
        for (int q = 0; q < patches.Count; q++)
        {
            var labels = patches[q].Labels.ToHashSet(StringComparer.Ordinal);
            var relevant = new HashSet<int>();
            var irrelevant = new HashSet<int>();
            var code = codes[q];
            for (int round = 0; round < 3; round++)
            {
                var all = Rank(codes, code, q, []);
                sums[round, 0] += AveragePrecision(patches, labels, Rank(codes, code, q, irrelevant));
                sums[round, 1] += AveragePrecision(patches, labels, all);
                HashSet<int> judged = [.. relevant, .. irrelevant];
                sums[round, 2] += AveragePrecision(patches, labels, Rank(codes, code, q, judged));
                sums[round, 3] += AveragePrecision(patches, labels, Rank(codes, codes[q], q, judged));
                // Judge what the explorer shows now, then refine the original query with every judgment so far.
                foreach (var i in Rank(codes, code, q, irrelevant).Take(K))
                    (patches[i].Labels.Any(labels.Contains) ? relevant : irrelevant).Add(i);
                code = RelevanceFeedback.Refine(codes[q], relevant.Select(i => codes[i]).ToList(), irrelevant.Select(i => codes[i]).ToList());
            }
        }
        return Enumerable.Range(0, 3).Select(r => new Round(sums[r, 0] / patches.Count, sums[r, 1] / patches.Count,
            sums[r, 2] / patches.Count, sums[r, 3] / patches.Count)).ToArray();
    }

    // Exact order: distance, then key (as the index breaks ties), leaving out the query and the excluded patches.
    private static List<int> Rank(List<HammingCode> codes, HammingCode query, int self, HashSet<int> excluded) =>
        Enumerable.Range(0, codes.Count).Where(i => i != self && !excluded.Contains(i))
            .OrderBy(i => query.DistanceTo(codes[i])).ThenBy(i => PatchKey.Of($"{i}")).ToList();

    private static double AveragePrecision(List<Patch> patches, IReadOnlySet<string> labels, List<int> ranking) =>
        RetrievalMetrics.AveragePrecision(labels, ranking.Take(K).Select(i => (IEnumerable<string>)patches[i].Labels).ToList(), K);

    private sealed record Round(double Shown, double CodeOnly, double Residual, double ResidualUnrefined);
}
