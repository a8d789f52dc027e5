using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Kernelized LSH (Kulis &amp; Grauman, ICCV 2009) with an RBF kernel over standardised descriptors. From p anchors
/// with kernel matrix K, each bit draws a random subset S of t anchors and sets w = K^(-1/2) (e_S / t - e / p);
/// h(x) = sign(sum_j w_j k(x, anchor_j)). By the central limit theorem the implied direction in kernel space is
/// approximately Gaussian, so the code approximates random-hyperplane LSH in the RBF feature space. Unsupervised.
/// </summary>
public sealed class KernelLshHasher : IPatchHasher
{
    public const string Kind = "kulsh";

    private readonly KernelCodes _codes;

    private KernelLshHasher(KernelCodes codes) => _codes = codes;

    public string Version => _codes.Version;

    public int Bits => _codes.Bits;

    public IReadOnlySet<Modality> Modalities => _codes.Modalities;

    /// <summary>Fits each modality present in <paramref name="sample"/> (at least 2 patches of it).</summary>
    public static KernelLshHasher Fit(IEnumerable<Patch> sample, int bits, int seed, int anchorCount = 256, int subsetSize = 30, PatchDescriptor? descriptor = null)
    {
        HammingCode.ValidateBits(bits);
        descriptor ??= PatchDescriptor.Spectral;
        if (anchorCount < 2) throw new ArgumentOutOfRangeException(nameof(anchorCount), anchorCount, "KLSH needs at least 2 anchors.");
        if (subsetSize < 1) throw new ArgumentOutOfRangeException(nameof(subsetSize), subsetSize, "Subsets need at least 1 anchor.");
        var byModality = new Dictionary<Modality, (DescriptorScaling, RbfAnchorFeatures, double[][])>();
        foreach (var group in sample.Where(p => descriptor.Describes(p.Modality)).GroupBy(p => p.Modality).Where(g => g.Count() >= 2).OrderBy(g => g.Key))
        {
            var random = new GaussianSampler(LshHasher.ModalitySeed(seed, group.Key));
            var descriptors = group.Select(descriptor.Compute).ToList();
            var scaling = DescriptorScaling.Fit(descriptors);
            var features = RbfAnchorFeatures.Choose(descriptors.Select(d => scaling.Standardise(d)).ToList(), anchorCount, random);
            byModality[group.Key] = (scaling, features, Weights(features, bits, subsetSize, random));
        }
        return new KernelLshHasher(new KernelCodes(Kind, bits, seed, descriptor, byModality));
    }

    public HammingCode Hash(Patch patch) => _codes.Hash(patch);

    public void Save(Stream destination) => _codes.Save(destination);

    public static KernelLshHasher Load(Stream source) => new(KernelCodes.Load(source, Kind));

    private static double[][] Weights(RbfAnchorFeatures features, int bits, int subsetSize, GaussianSampler random)
    {
        int p = features.Count;
        var kernel = new double[p, p];
        for (int i = 0; i < p; i++)
        {
            var row = features.Of(features.Anchors[i]);
            for (int j = 0; j < p; j++) kernel[i, j] = row[j];
        }
        var inverseRoot = SymmetricEigen.InverseSquareRoot(kernel);
        // t < p keeps e_S / t - e / p non-zero.
        int t = Math.Max(1, Math.Min(subsetSize, p / 2));
        var weights = new double[bits][];
        for (int b = 0; b < bits; b++)
        {
            var e = new double[p];
            for (int i = 0; i < p; i++) e[i] = -1.0 / p;
            foreach (var i in random.Subset(p, t)) e[i] += 1.0 / t;
            var w = new double[p];
            for (int i = 0; i < p; i++)
                for (int j = 0; j < p; j++) w[i] += inverseRoot[i, j] * e[j];
            weights[b] = w;
        }
        return weights;
    }
}
