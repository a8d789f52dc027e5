using System.Text.Json.Serialization;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Random-hyperplane LSH (Charikar 2002) over a standardised <see cref="PatchDescriptor"/> (the spectral statistics
/// unless chosen otherwise): bit i is the sign of the projection on a Gaussian random vector, so P[bits differ] =
/// angle / pi and Hamming distance tracks angle. Each modality has its own projections (descriptor lengths differ); all
/// are drawn from the seed alone, so fitted and default hashers of the same seed and descriptor share hyperplanes and
/// differ only in standardisation.
/// </summary>
public sealed class LshHasher : IPatchHasher
{
    public const string Kind = "lsh";

    private readonly Dictionary<Modality, (DescriptorScaling Scaling, double[][] Projections)> _byModality;

    private LshHasher(int bits, int seed, PatchDescriptor descriptor, Dictionary<Modality, (DescriptorScaling, double[][])> byModality)
    {
        Bits = bits;
        Seed = seed;
        Descriptor = descriptor;
        _byModality = byModality;
        Modalities = byModality.Keys.ToHashSet();
        Version = HasherJson.Version(Kind, bits, seed, HasherJson.Fingerprint(ToFile(string.Empty)));
    }

    public string Version { get; }

    public int Bits { get; }

    public int Seed { get; }

    /// <summary>Both modalities, except for a descriptor fitted on a sample that held only one.</summary>
    public IReadOnlySet<Modality> Modalities { get; }

    public PatchDescriptor Descriptor { get; }

    /// <summary>Standardisation from <see cref="SpectralDescriptor.TypicalScaling"/>: usable before any data is seen.</summary>
    public static LshHasher Create(int bits, int seed) =>
        Build(bits, seed, PatchDescriptor.Spectral, Enum.GetValues<Modality>(), SpectralDescriptor.TypicalScaling);

    /// <summary>
    /// Standardisation from the sample's descriptors, per modality. With the spectral statistics a modality absent from
    /// the sample keeps their typical scaling; another descriptor has no typical values, so the hasher then takes only
    /// the modalities of the sample.
    /// </summary>
    public static LshHasher Fit(IEnumerable<Patch> sample, int bits, int seed, PatchDescriptor? descriptor = null)
    {
        descriptor ??= PatchDescriptor.Spectral;
        var descriptors = sample.Where(p => descriptor.Describes(p.Modality)).GroupBy(p => p.Modality)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<double[]>)g.Select(descriptor.Compute).ToList());
        var modalities = descriptor.IsSpectralOnly ? Enum.GetValues<Modality>() : descriptors.Keys.Order().ToArray();
        if (modalities.Length == 0) throw new ArgumentException("LSH with this descriptor needs a sample of at least one modality.", nameof(sample));
        return Build(bits, seed, descriptor, modalities, m =>
        {
            if (!descriptors.TryGetValue(m, out var ds)) return SpectralDescriptor.TypicalScaling(m);
            var fitted = DescriptorScaling.Fit(ds);
            return (fitted.Means, fitted.Stds);
        });
    }

    public DescriptorScaling ScalingFor(Modality modality) => Parameters(modality).Scaling;

    public HammingCode Hash(Patch patch)
    {
        Parameters(patch.Modality); // refuses a modality this hasher has no projections for before describing it
        return HashDescriptor(patch.Modality, Descriptor.Compute(patch));
    }

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
        var descriptor = PatchDescriptor.FromFile(file.Descriptor, file.Words);
        CheckBits(file.Bits);
        var byModality = new Dictionary<Modality, (DescriptorScaling, double[][])>();
        foreach (var modality in Enum.GetValues<Modality>())
        {
            if (file.Modalities?.GetValueOrDefault(modality.ToString()) is not { } p)
            {
                // The spectral statistics always hash both modalities; another descriptor may have been fitted on one.
                if (descriptor.IsSpectralOnly) throw new HasherFormatException($"parameters for {modality} are missing.");
                continue;
            }
            if (!descriptor.Describes(modality)) throw new HasherFormatException($"{modality} has parameters but no spectral words.");
            int length = descriptor.Length(modality);
            var scaling = new DescriptorScaling(
                HasherJson.CheckVector(p.Means, length, $"{modality} means"),
                HasherJson.CheckVector(p.Stds, length, $"{modality} stds"));
            byModality[modality] = (scaling, HasherJson.CheckMatrix(p.Projections, file.Bits, length, $"{modality} projections"));
        }
        if (byModality.Count == 0) throw new HasherFormatException("no modality parameters.");
        var hasher = new LshHasher(file.Bits, file.Seed, descriptor, byModality);
        HasherJson.CheckVersion(file.Version, hasher.Version);
        return hasher;
    }

    private static LshHasher Build(int bits, int seed, PatchDescriptor descriptor, IEnumerable<Modality> modalities,
        Func<Modality, (double[] Means, double[] Stds)> scaling)
    {
        HammingCode.ValidateBits(bits);
        var byModality = new Dictionary<Modality, (DescriptorScaling, double[][])>();
        foreach (var modality in modalities)
        {
            var sampler = new GaussianSampler(ModalitySeed(seed, modality));
            int length = descriptor.Length(modality);
            var projections = Enumerable.Range(0, bits).Select(_ => sampler.NextVector(length)).ToArray();
            var (means, stds) = scaling(modality);
            byModality[modality] = (new DescriptorScaling(means, stds), projections);
        }
        return new LshHasher(bits, seed, descriptor, byModality);
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
        Kind, version, Bits, Seed, Descriptor.Name,
        _byModality.OrderBy(kv => kv.Key).ToDictionary(
            kv => kv.Key.ToString(),
            kv => new LshModalityParameters(kv.Value.Scaling.Means, kv.Value.Scaling.Stds, kv.Value.Projections)),
        Descriptor.WordsFile());

    /// <summary>Words are left out when absent, so files (and versions) of spectral-only hashers are what they always were.</summary>
    private sealed record LshFile(
        string Kind, string Version, int Bits, int Seed, string Descriptor, Dictionary<string, LshModalityParameters>? Modalities,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, SpectralWordsParameters>? Words);

    private sealed record LshModalityParameters(double[]? Means, double[]? Stds, double[][]? Projections);
}
