using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Random-hyperplane LSH (Charikar 2002) over the standardised <see cref="SpectralDescriptor"/>: bit i is the sign of
/// the projection on a Gaussian random vector, so P[bits differ] = angle / pi and Hamming distance tracks angle.
/// Each modality has its own projections (descriptor lengths differ); all are drawn from the seed alone, so fitted and
/// default hashers of the same seed share hyperplanes and differ only in standardisation.
/// </summary>
public sealed class LshHasher : IPatchHasher
{
    public const string Kind = "lsh";

    private readonly Dictionary<Modality, (DescriptorScaling Scaling, double[][] Projections)> _byModality;

    private LshHasher(int bits, int seed, Dictionary<Modality, (DescriptorScaling, double[][])> byModality)
    {
        Bits = bits;
        Seed = seed;
        _byModality = byModality;
        Version = HasherJson.Version(Kind, bits, seed, HasherJson.Fingerprint(ToFile(string.Empty)));
    }

    public string Version { get; }

    public int Bits { get; }

    public int Seed { get; }

    public IReadOnlySet<Modality> Modalities { get; } = new HashSet<Modality> { Modality.S1, Modality.S2 };

    /// <summary>Standardisation from <see cref="SpectralDescriptor.TypicalScaling"/>: usable before any data is seen.</summary>
    public static LshHasher Create(int bits, int seed) => Build(bits, seed, SpectralDescriptor.TypicalScaling);

    /// <summary>Standardisation from the sample's descriptors (per modality; a modality absent from it keeps the defaults).</summary>
    public static LshHasher Fit(IEnumerable<Patch> sample, int bits, int seed)
    {
        var descriptors = sample.GroupBy(p => p.Modality)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<double[]>)g.Select(SpectralDescriptor.Compute).ToList());
        return Build(bits, seed, m =>
        {
            if (!descriptors.TryGetValue(m, out var ds)) return SpectralDescriptor.TypicalScaling(m);
            var fitted = DescriptorScaling.Fit(ds);
            return (fitted.Means, fitted.Stds);
        });
    }

    public DescriptorScaling ScalingFor(Modality modality) => Parameters(modality).Scaling;

    public HammingCode Hash(Patch patch) => HashDescriptor(patch.Modality, SpectralDescriptor.Compute(patch));

    /// <summary>Hashes a raw (unstandardised) descriptor of <paramref name="modality"/>.</summary>
    public HammingCode HashDescriptor(Modality modality, ReadOnlySpan<double> descriptor)
    {
        var (scaling, projections) = Parameters(modality);
        return SignCode.Of(SignCode.Project(projections, scaling.Standardise(descriptor)));
    }

    public void Save(Stream destination) => HasherJson.Write(destination, ToFile(Version));

    public static LshHasher Load(Stream source)
    {
        var file = HasherJson.Read<LshFile>(source);
        if (file.Kind != Kind) throw new HasherFormatException($"kind '{file.Kind}' is not '{Kind}'.");
        if (file.Descriptor != SpectralDescriptor.Version)
            throw new HasherFormatException($"descriptor '{file.Descriptor}' is not the current '{SpectralDescriptor.Version}'.");
        CheckBits(file.Bits);
        var byModality = new Dictionary<Modality, (DescriptorScaling, double[][])>();
        foreach (var modality in Enum.GetValues<Modality>())
        {
            if (file.Modalities?.GetValueOrDefault(modality.ToString()) is not { } p)
                throw new HasherFormatException($"parameters for {modality} are missing.");
            int length = SpectralDescriptor.Length(modality);
            var scaling = new DescriptorScaling(
                HasherJson.CheckVector(p.Means, length, $"{modality} means"),
                HasherJson.CheckVector(p.Stds, length, $"{modality} stds"));
            byModality[modality] = (scaling, HasherJson.CheckMatrix(p.Projections, file.Bits, length, $"{modality} projections"));
        }
        var hasher = new LshHasher(file.Bits, file.Seed, byModality);
        HasherJson.CheckVersion(file.Version, hasher.Version);
        return hasher;
    }

    private static LshHasher Build(int bits, int seed, Func<Modality, (double[] Means, double[] Stds)> scaling)
    {
        HammingCode.ValidateBits(bits);
        var byModality = new Dictionary<Modality, (DescriptorScaling, double[][])>();
        foreach (var modality in Enum.GetValues<Modality>())
        {
            var sampler = new GaussianSampler(ModalitySeed(seed, modality));
            int length = SpectralDescriptor.Length(modality);
            var projections = Enumerable.Range(0, bits).Select(_ => sampler.NextVector(length)).ToArray();
            var (means, stds) = scaling(modality);
            byModality[modality] = (new DescriptorScaling(means, stds), projections);
        }
        return new LshHasher(bits, seed, byModality);
    }

    internal static int ModalitySeed(int seed, Modality modality) => unchecked(seed * 1_000_003 + (int)modality + 1);

    private static void CheckBits(int bits)
    {
        if (bits < HammingCode.MinBits || bits > HammingCode.MaxBits || bits % 8 != 0)
            throw new HasherFormatException($"bits {bits} is not a multiple of 8 in {HammingCode.MinBits}..{HammingCode.MaxBits}.");
    }

    private (DescriptorScaling Scaling, double[][] Projections) Parameters(Modality modality) =>
        _byModality.TryGetValue(modality, out var p) ? p
            : throw new ArgumentException($"The {Version} hasher does not accept {modality} patches.", nameof(modality));

    private LshFile ToFile(string version) => new(
        Kind, version, Bits, Seed, SpectralDescriptor.Version,
        _byModality.OrderBy(kv => kv.Key).ToDictionary(
            kv => kv.Key.ToString(),
            kv => new LshModalityParameters(kv.Value.Scaling.Means, kv.Value.Scaling.Stds, kv.Value.Projections)));

    private sealed record LshFile(
        string Kind, string Version, int Bits, int Seed, string Descriptor, Dictionary<string, LshModalityParameters>? Modalities);

    private sealed record LshModalityParameters(double[]? Means, double[]? Stds, double[][]? Projections);
}
