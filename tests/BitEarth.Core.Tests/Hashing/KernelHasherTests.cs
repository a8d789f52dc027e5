using BitEarth.Core.Codes;
using BitEarth.Core.Evaluation;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Hashing;

public class KernelHasherTests
{
    private static readonly List<Patch> Train = SyntheticPatches.LabelledSet("t", 200, 12, seed: 11);
    private static readonly List<Patch> Test = SyntheticPatches.LabelledSet("q", 200, 12, seed: 12);

    public static TheoryData<string> Kinds => new() { KernelLshHasher.Kind, SupervisedKernelHasher.Kind };

    private static IPatchHasher Fit(string kind, int seed) => kind == KernelLshHasher.Kind
        ? KernelLshHasher.Fit(Train, 32, seed, anchorCount: 64)
        : SupervisedKernelHasher.Fit(Train.Take(100), 32, seed, anchorCount: 40);

    [Theory, MemberData(nameof(Kinds))]
    public void Fitting_is_deterministic_by_seed(string kind)
    {
        var a = Fit(kind, 42);
        var b = Fit(kind, 42);
        var c = Fit(kind, 43);
        Assert.StartsWith($"{kind}-32-s42-", a.Version);
        Assert.Equal(a.Version, b.Version);
        Assert.NotEqual(a.Version, c.Version);
        Assert.All(Test.Take(30), p => Assert.Equal(a.Hash(p), b.Hash(p)));
        Assert.Equal(new HashSet<Modality> { Modality.S2 }, a.Modalities);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Save_then_load_gives_identical_codes_and_version(string kind)
    {
        var hasher = Fit(kind, 5);
        var file = new MemoryStream();
        hasher.Save(file);
        file.Position = 0;
        var loaded = HasherKinds.BuiltIn.Load(file);
        Assert.Equal(hasher.GetType(), loaded.GetType());
        Assert.Equal(hasher.Version, loaded.Version);
        Assert.All(Test.Take(50), p => Assert.Equal(hasher.Hash(p), loaded.Hash(p)));
    }

    [Fact]
    public void Codes_spread_over_both_bit_values()
    {
        // A degenerate fit (all-zero weights, constant bits) would still be deterministic; require informative bits.
        foreach (var kind in new[] { KernelLshHasher.Kind, SupervisedKernelHasher.Kind })
        {
            var hasher = Fit(kind, 3);
            var codes = Test.Select(hasher.Hash).ToList();
            int informative = Enumerable.Range(0, 32).Count(bit => codes.Any(c => c[bit]) && codes.Any(c => !c[bit]));
            Assert.True(informative >= 24, $"{kind}: only {informative} of 32 bits vary");
        }
    }

    /// <summary>
    /// Classes differ in spectral shape while per-patch brightness and band gains dominate much of the raw descriptor,
    /// so label-blind hashing ranks partly by nuisance; KSH learns which kernel directions separate labels.
    /// Fixed seeds make this deterministic; measured with data seeds 11 and 21: LSH 0.83/0.79, KSH 0.92/0.90.
    /// </summary>
    [Fact]
    public void Supervised_hashing_beats_random_hyperplanes_on_labelled_data()
    {
        var lsh = LshHasher.Fit(Train, 32, 1);
        var ksh = SupervisedKernelHasher.Fit(Train, 32, 1, anchorCount: 64);
        double lshMap = MeanAveragePrecision(lsh);
        double kshMap = MeanAveragePrecision(ksh);
        Assert.True(kshMap > lshMap + 0.05, $"KSH mAP@10 {kshMap:F3} vs LSH {lshMap:F3}");
    }

    private static double MeanAveragePrecision(IPatchHasher hasher) => RetrievalEvaluation.LeaveOneOut(
        Test.Select(p => new RetrievalItem(p.Id, p.Labels.ToArray(), hasher.Hash(p))).ToList(), 10).MeanAveragePrecision;
}
