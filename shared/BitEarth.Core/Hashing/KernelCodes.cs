using System.Text.Json.Serialization;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// What KLSH and KSH share once fitted: per modality, a descriptor scaling, RBF anchor features and one weight vector
/// per bit; bit i = sign(w_i . k(z)). They differ only in how the weights are found. Also owns their file format:
/// {kind, version, bits, seed, descriptor, modalities: {S1|S2: {means, stds, anchors, gamma, centers, weights}}, words?}.
/// </summary>
internal sealed class KernelCodes
{
    private readonly Dictionary<Modality, (DescriptorScaling Scaling, RbfAnchorFeatures Features, double[][] Weights)> _byModality;

    public KernelCodes(string kind, int bits, int seed, PatchDescriptor descriptor,
        Dictionary<Modality, (DescriptorScaling, RbfAnchorFeatures, double[][])> byModality)
    {
        if (byModality.Count == 0) throw new ArgumentException($"A {kind} hasher needs at least one modality in its sample.");
        Kind = kind;
        Bits = bits;
        Seed = seed;
        Descriptor = descriptor;
        _byModality = byModality;
        Modalities = byModality.Keys.ToHashSet();
        Version = HasherJson.Version(kind, bits, seed, HasherJson.Fingerprint(ToFile(string.Empty)));
    }

    public string Kind { get; }

    public string Version { get; }

    public int Bits { get; }

    public int Seed { get; }

    public IReadOnlySet<Modality> Modalities { get; }

    public PatchDescriptor Descriptor { get; }

    public HammingCode Hash(Patch patch)
    {
        if (!_byModality.TryGetValue(patch.Modality, out var p))
            throw new ArgumentException($"The {Version} hasher does not accept {patch.Modality} patches.", nameof(patch));
        var z = p.Scaling.Standardise(Descriptor.Compute(patch));
        return SignCode.Of(SignCode.Project(p.Weights, p.Features.Of(z)));
    }

    public void Save(Stream destination) => HasherJson.Write(destination, ToFile(Version));

    public static KernelCodes Load(Stream source, string kind)
    {
        var file = HasherJson.Read<KernelFile>(source);
        if (file.Kind != kind) throw new HasherFormatException($"kind '{file.Kind}' is not '{kind}'.");
        var descriptor = PatchDescriptor.FromFile(file.Descriptor, file.Words);
        if (file.Bits < HammingCode.MinBits || file.Bits > HammingCode.MaxBits || file.Bits % 8 != 0)
            throw new HasherFormatException($"bits {file.Bits} is not a multiple of 8 in {HammingCode.MinBits}..{HammingCode.MaxBits}.");
        if (file.Modalities is not { Count: > 0 }) throw new HasherFormatException("no modality parameters.");
        var byModality = new Dictionary<Modality, (DescriptorScaling, RbfAnchorFeatures, double[][])>();
        foreach (var (name, p) in file.Modalities)
        {
            if (!Enum.TryParse<Modality>(name, out var modality) || modality.ToString() != name)
                throw new HasherFormatException($"unknown modality '{name}'.");
            if (!descriptor.Describes(modality)) throw new HasherFormatException($"{name} has parameters but no spectral words.");
            int length = descriptor.Length(modality);
            int anchors = p.Anchors?.Length ?? 0;
            if (anchors == 0) throw new HasherFormatException($"{name} has no anchors.");
            if (!double.IsFinite(p.Gamma) || p.Gamma <= 0) throw new HasherFormatException($"{name} gamma must be positive.");
            var scaling = new DescriptorScaling(
                HasherJson.CheckVector(p.Means, length, $"{name} means"), HasherJson.CheckVector(p.Stds, length, $"{name} stds"));
            var features = new RbfAnchorFeatures(
                HasherJson.CheckMatrix(p.Anchors, anchors, length, $"{name} anchors"), p.Gamma,
                HasherJson.CheckVector(p.Centers, anchors, $"{name} centers"));
            byModality[modality] = (scaling, features, HasherJson.CheckMatrix(p.Weights, file.Bits, anchors, $"{name} weights"));
        }
        var codes = new KernelCodes(kind, file.Bits, file.Seed, descriptor, byModality);
        HasherJson.CheckVersion(file.Version, codes.Version);
        return codes;
    }

    private KernelFile ToFile(string version) => new(
        Kind, version, Bits, Seed, Descriptor.Name,
        _byModality.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(), kv => new KernelModalityParameters(
            kv.Value.Scaling.Means, kv.Value.Scaling.Stds, kv.Value.Features.Anchors, kv.Value.Features.Gamma,
            kv.Value.Features.Centers, kv.Value.Weights)),
        Descriptor.WordsFile());

    /// <summary>Words are left out when absent, so files (and versions) of spectral-only hashers are what they always were.</summary>
    private sealed record KernelFile(
        string Kind, string Version, int Bits, int Seed, string Descriptor, Dictionary<string, KernelModalityParameters>? Modalities,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, SpectralWordsParameters>? Words);

    private sealed record KernelModalityParameters(
        double[]? Means, double[]? Stds, double[][]? Anchors, double Gamma, double[]? Centers, double[][]? Weights);
}
