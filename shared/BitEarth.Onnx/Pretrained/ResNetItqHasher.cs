using System.Security.Cryptography;
using System.Text.Json;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Onnx.Pretrained;

/// <summary>
/// A learned encoder that needs no labels and no training run: ImageNet ResNet-18 features (<see cref="ResNet18Features"/>)
/// turned into bits by ITQ (<see cref="ItqRotation"/>) fitted per modality on a sample of the archive being indexed.
/// The modalities do not share a code space (each has its own mean and rotation). The hasher file holds the means and
/// projections and names the backbone and input mapping; the network itself ships with the host.
/// </summary>
public sealed class ResNetItqHasher : IPatchHasher
{
    public const string Kind = "resnet18-itq";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private readonly Dictionary<Modality, ItqRotation> _rotations;
    private readonly ResNet18Features _features;

    private ResNetItqHasher(int bits, Dictionary<Modality, ItqRotation> rotations, ResNet18Features features)
    {
        Bits = bits;
        _rotations = rotations;
        _features = features;
        Modalities = rotations.Keys.ToHashSet();
        var parameters = JsonSerializer.SerializeToUtf8Bytes(ToFile(string.Empty), Json);
        Version = $"{Kind}-{bits}-{Convert.ToHexStringLower(SHA256.HashData(parameters))[..8]}";
    }

    public string Version { get; }

    public int Bits { get; }

    /// <summary>The modalities the fitting sample held at least <see cref="MinSamplePerModality"/> patches of.</summary>
    public IReadOnlySet<Modality> Modalities { get; }

    /// <summary>Fewer patches of a modality than this cannot give a principal subspace worth hashing with.</summary>
    public const int MinSamplePerModality = 2;

    /// <summary>
    /// Fits one ITQ rotation per modality present in <paramref name="sample"/> (at least <see cref="MinSamplePerModality"/>
    /// patches). Bits beyond the sample size have no variance to quantize, so a sample should hold more patches than bits.
    /// </summary>
    public static ResNetItqHasher Fit(IEnumerable<Patch> sample, int bits, int seed, ResNet18Features? features = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var fit = new SampleFeatures(bits, features);
        foreach (var patch in sample) fit.Add(patch);
        return fit.Fit(seed);
    }

    /// <summary><see cref="Fit"/> over a streamed sample (e.g. <see cref="ArchiveSample.ReadAsync"/>): only features are kept.</summary>
    public static async Task<ResNetItqHasher> FitAsync(IAsyncEnumerable<Patch> sample, int bits, int seed,
        ResNet18Features? features = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var fit = new SampleFeatures(bits, features);
        await foreach (var patch in sample.WithCancellation(ct)) fit.Add(patch);
        return fit.Fit(seed);
    }

    /// <summary>How many patches of each modality the fit used.</summary>
    public IReadOnlyDictionary<Modality, int> SampleSizes { get; private init; } = new Dictionary<Modality, int>();

    /// <summary>Features of a sample, computed a batch at a time as its patches arrive.</summary>
    private sealed class SampleFeatures
    {
        private readonly int _bits;
        private readonly ResNet18Features _features;
        private readonly Dictionary<Modality, List<Patch>> _pending = [];
        private readonly Dictionary<Modality, List<double[]>> _vectors = [];

        public SampleFeatures(int bits, ResNet18Features? features)
        {
            HammingCode.ValidateBits(bits);
            if (bits > ResNet18Features.Length)
                throw new ArgumentOutOfRangeException(nameof(bits), bits, $"at most {ResNet18Features.Length} bits (the feature length).");
            _bits = bits;
            _features = features ?? ResNet18Features.Shared;
        }

        public void Add(Patch patch)
        {
            if (!_pending.TryGetValue(patch.Modality, out var batch)) _pending[patch.Modality] = batch = [];
            batch.Add(patch);
            if (batch.Count == ResNet18Features.BatchSize) Flush(patch.Modality, batch);
        }

        public ResNetItqHasher Fit(int seed)
        {
            foreach (var (modality, batch) in _pending) Flush(modality, batch);
            var rotations = new Dictionary<Modality, ItqRotation>();
            foreach (var (modality, vectors) in _vectors.OrderBy(kv => kv.Key))
                if (vectors.Count >= MinSamplePerModality)
                    rotations[modality] = ItqRotation.Fit(vectors, _bits, unchecked(seed * 31 + (int)modality));
            if (rotations.Count == 0)
                throw new ArgumentException($"the sample needs at least {MinSamplePerModality} readable patches of one modality.");
            return new ResNetItqHasher(_bits, rotations, _features)
            {
                SampleSizes = rotations.Keys.ToDictionary(m => m, m => _vectors[m].Count),
            };
        }

        private void Flush(Modality modality, List<Patch> batch)
        {
            if (batch.Count == 0) return;
            if (!_vectors.TryGetValue(modality, out var vectors)) _vectors[modality] = vectors = [];
            vectors.AddRange(_features.Compute(batch).Select(f => Array.ConvertAll(f, v => (double)v)));
            batch.Clear();
        }
    }

    public HammingCode Hash(Patch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return Rotation(patch).Hash(Array.ConvertAll(_features.Compute(patch), v => (double)v));
    }

    /// <summary>Hashes many patches with batched network runs (any mix of modalities).</summary>
    public IReadOnlyList<HammingCode> HashBatch(IReadOnlyList<Patch> patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        foreach (var patch in patches) Rotation(patch);
        var features = _features.Compute(patches);
        return [.. patches.Select((p, i) => _rotations[p.Modality].Hash(Array.ConvertAll(features[i], v => (double)v)))];
    }

    public void Save(Stream destination) => JsonSerializer.Serialize(destination, ToFile(Version), Json);

    public static ResNetItqHasher Load(Stream source, ResNet18Features? features = null)
    {
        ResNetItqFile? file;
        try { file = JsonSerializer.Deserialize<ResNetItqFile>(source, Json); }
        catch (JsonException e) { throw new HasherFormatException($"malformed JSON: {e.Message}", e); }
        if (file is null) throw new HasherFormatException("the file is empty (null).");
        if (file.Kind != Kind) throw new HasherFormatException($"kind '{file.Kind}' is not '{Kind}'.");
        if (file.Backbone != ResNet18Features.Backbone)
            throw new HasherFormatException($"backbone '{file.Backbone}' is not the one this host ships ('{ResNet18Features.Backbone}').");
        if (file.Input != PretrainedInput.Version)
            throw new HasherFormatException($"input mapping '{file.Input}' is not the current '{PretrainedInput.Version}'.");
        if (!HammingCode.IsValidLength(file.Bits) || file.Bits > ResNet18Features.Length)
            throw new HasherFormatException($"bits {file.Bits} is not a valid code length of at most {ResNet18Features.Length}.");
        if (file.Modalities is not { Count: > 0 }) throw new HasherFormatException("no modality parameters.");
        var rotations = new Dictionary<Modality, ItqRotation>();
        foreach (var (name, p) in file.Modalities)
        {
            if (!Enum.TryParse<Modality>(name, out var modality) || !Enum.IsDefined(modality))
                throw new HasherFormatException($"unknown modality '{name}'.");
            if (p.Mean is not { Length: ResNet18Features.Length } mean || mean.Any(v => !double.IsFinite(v)))
                throw new HasherFormatException($"{name} mean must be {ResNet18Features.Length} finite numbers.");
            if (p.Projection is not { } projection || projection.Length != file.Bits
                || projection.Any(r => r is not { Length: ResNet18Features.Length } || r.Any(v => !double.IsFinite(v))))
                throw new HasherFormatException($"{name} projection must be {file.Bits} rows of {ResNet18Features.Length} finite numbers.");
            rotations[modality] = new ItqRotation(mean, projection);
        }
        var hasher = new ResNetItqHasher(file.Bits, rotations, features ?? ResNet18Features.Shared);
        if (file.Version != hasher.Version)
            throw new HasherFormatException($"version '{file.Version}' does not match its parameters (expected '{hasher.Version}').");
        return hasher;
    }

    private ItqRotation Rotation(Patch patch) =>
        _rotations.TryGetValue(patch.Modality, out var rotation) ? rotation
            : throw new PatchFormatException(patch.Id, $"encoder {Version} was fitted without {patch.Modality} patches and cannot hash them");

    private ResNetItqFile ToFile(string version) => new(
        Kind, version, Bits, ResNet18Features.Backbone, PretrainedInput.Version,
        _rotations.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(), kv => new ItqParameters(kv.Value.Mean, kv.Value.Projection)));

    private sealed record ResNetItqFile(
        string Kind, string Version, int Bits, string Backbone, string Input, Dictionary<string, ItqParameters>? Modalities);

    private sealed record ItqParameters(double[]? Mean, double[][]? Projection);
}
