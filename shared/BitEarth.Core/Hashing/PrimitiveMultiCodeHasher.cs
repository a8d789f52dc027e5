using System.Text.Json;
using System.Text.Json.Serialization;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Unsupervised multi-code hashing (Reato, Demir &amp; Bruzzone): a patch is segmented into regions
/// (<see cref="RegionSegmentation"/>), each region is described, a Gaussian mixture fitted by EM on the archive's
/// region descriptors models the <em>primitives</em> (per modality), every region takes its most likely primitive, and
/// the regions of one primitive form that patch's primitive-sensitive cluster. Each cluster (its pixels together) gets
/// a kernelized LSH code (<see cref="KernelLshHasher"/>, fitted on the archive's clusters), so a patch has one code per
/// primitive it contains; images are matched by their code sets (<see cref="MultiCodeDistance"/>).
/// <see cref="Hash"/> is the same KULSH of the whole patch, for paths that hold one code per patch.
/// Files: {kind, version, bits, seed, regions, compactness, descriptor, words?, modalities: {S1|S2: {means, stds,
/// weights, primitiveMeans, primitiveVariances}}, codes: the KULSH file}.
/// </summary>
public sealed class PrimitiveMultiCodeHasher : IMultiCodeHasher
{
    public const string Kind = "mch";

    /// <summary>Regions under this many pixels are too small to describe in the fit (they still join clusters when hashing).</summary>
    private const int MinFitPixels = 8;

    private readonly RegionSegmentation _segmentation;
    private readonly PatchDescriptor _descriptor;
    private readonly Dictionary<Modality, (DescriptorScaling Scaling, GaussianMixture Primitives)> _byModality;
    private readonly KernelLshHasher _codes;

    private PrimitiveMultiCodeHasher(int seed, RegionSegmentation segmentation, PatchDescriptor descriptor,
        Dictionary<Modality, (DescriptorScaling, GaussianMixture)> byModality, KernelLshHasher codes)
    {
        Seed = seed;
        _segmentation = segmentation;
        _descriptor = descriptor;
        _byModality = byModality;
        _codes = codes;
        Modalities = byModality.Keys.Where(codes.Modalities.Contains).ToHashSet();
        if (Modalities.Count == 0) throw new ArgumentException("A multi-code hasher needs at least one modality with both primitives and codes.");
        Version = HasherJson.Version(Kind, codes.Bits, seed, HasherJson.Fingerprint(ToFile(string.Empty, includeCodes: false)));
    }

    public string Version { get; }

    public int Bits => _codes.Bits;

    public int Seed { get; }

    public int Primitives(Modality modality) => _byModality[modality].Primitives.Count;

    public IReadOnlySet<Modality> Modalities { get; }

    /// <summary>
    /// Fits primitives and codes on <paramref name="sample"/> (each modality with at least 2 patches). The descriptor
    /// describes pixel sets, so LBP texture (which needs the pixel grid) is refused.
    /// </summary>
    public static PrimitiveMultiCodeHasher Fit(IReadOnlyList<Patch> sample, int bits, int seed, PatchDescriptor? descriptor = null,
        int primitives = 8, int regions = 16, double compactness = 0.5)
    {
        HammingCode.ValidateBits(bits);
        descriptor ??= PatchDescriptor.Spectral;
        if (descriptor.Parts.Contains(LocalBinaryPatterns.Version))
            throw new ArgumentException($"Multi-code hashing describes regions as pixel sets; descriptor {descriptor.Name} needs a pixel grid (LBP). Use spectral, bosv or spectral+bosv.", nameof(descriptor));
        if (primitives < 1) throw new ArgumentOutOfRangeException(nameof(primitives), primitives, "At least one primitive is needed.");
        var segmentation = new RegionSegmentation(regions, compactness);
        var byModality = new Dictionary<Modality, (DescriptorScaling, GaussianMixture)>();
        foreach (var group in sample.Where(p => descriptor.Describes(p.Modality)).GroupBy(p => p.Modality).Where(g => g.Count() >= 2).OrderBy(g => g.Key))
        {
            var described = group
                .SelectMany(p => segmentation.Segment(p).Where(r => r.Length >= MinFitPixels)
                    .Select((r, i) => descriptor.Compute(RegionSegmentation.PixelsOf(p, r, $"{p.Id}#{i}"))))
                .ToList();
            if (described.Count < 2) continue;
            var scaling = DescriptorScaling.Fit(described);
            var standardised = described.Select(d => scaling.Standardise(d)).ToList();
            var mixture = GaussianMixture.Fit(standardised, Math.Min(primitives, standardised.Count),
                new GaussianSampler(LshHasher.ModalitySeed(seed, group.Key) ^ 0x5eed));
            byModality[group.Key] = (scaling, mixture);
        }
        if (byModality.Count == 0)
            throw new ArgumentException("Multi-code hashing needs at least 2 describable patches of one modality.", nameof(sample));
        var primitiveModel = new Dictionary<Modality, (DescriptorScaling, GaussianMixture)>(byModality);
        var clusters = sample.Where(p => primitiveModel.ContainsKey(p.Modality))
            .SelectMany(p => Clusters(p, segmentation, descriptor, primitiveModel).Select(c => c.Pixels)).ToList();
        var codes = KernelLshHasher.Fit(clusters, bits, seed, descriptor: descriptor);
        return new PrimitiveMultiCodeHasher(seed, segmentation, descriptor, byModality, codes);
    }

    public HammingCode Hash(Patch patch)
    {
        CheckModality(patch);
        return _codes.Hash(patch);
    }

    /// <summary>One code per primitive present in the patch, in primitive order (at least one code).</summary>
    public IReadOnlyList<HammingCode> HashMany(Patch patch)
    {
        CheckModality(patch);
        return Clusters(patch, _segmentation, _descriptor, _byModality).Select(c => _codes.Hash(c.Pixels)).ToList();
    }

    /// <summary>The primitives of the patch's regions, each with the pixels of its regions as a one-row patch.</summary>
    public IReadOnlyList<(int Primitive, Patch Pixels)> PrimitiveClusters(Patch patch)
    {
        CheckModality(patch);
        return Clusters(patch, _segmentation, _descriptor, _byModality);
    }

    public void Save(Stream destination) => HasherJson.Write(destination, ToFile(Version, includeCodes: true));

    public static PrimitiveMultiCodeHasher Load(Stream source)
    {
        var file = HasherJson.Read<MultiCodeFile>(source);
        if (file.Kind != Kind) throw new HasherFormatException($"kind '{file.Kind}' is not '{Kind}'.");
        var descriptor = PatchDescriptor.FromFile(file.Descriptor, file.Words);
        if (descriptor.Parts.Contains(LocalBinaryPatterns.Version)) throw new HasherFormatException($"descriptor {descriptor.Name} cannot describe regions.");
        if (file.Codes.ValueKind != JsonValueKind.Object) throw new HasherFormatException("the KULSH codes are missing.");
        RegionSegmentation segmentation;
        try { segmentation = new RegionSegmentation(file.Regions, file.Compactness); }
        catch (ArgumentOutOfRangeException e) { throw new HasherFormatException(e.Message, e); }
        var codes = KernelLshHasher.Load(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(file.Codes)));
        if (codes.Bits != file.Bits) throw new HasherFormatException($"bits {file.Bits} differ from the codes' {codes.Bits}.");
        if (file.Modalities is not { Count: > 0 }) throw new HasherFormatException("no modality parameters.");
        var byModality = new Dictionary<Modality, (DescriptorScaling, GaussianMixture)>();
        foreach (var (name, p) in file.Modalities)
        {
            if (!Enum.TryParse<Modality>(name, out var modality) || modality.ToString() != name)
                throw new HasherFormatException($"unknown modality '{name}'.");
            if (!descriptor.Describes(modality)) throw new HasherFormatException($"{name} has primitives but no spectral words.");
            int length = descriptor.Length(modality);
            int count = p.Weights?.Length ?? 0;
            if (count == 0) throw new HasherFormatException($"{name} has no primitives.");
            var scaling = new DescriptorScaling(
                HasherJson.CheckVector(p.Means, length, $"{name} means"), HasherJson.CheckVector(p.Stds, length, $"{name} stds"));
            try
            {
                byModality[modality] = (scaling, new GaussianMixture(
                    HasherJson.CheckVector(p.Weights, count, $"{name} primitive weights"),
                    HasherJson.CheckMatrix(p.PrimitiveMeans, count, length, $"{name} primitive means"),
                    HasherJson.CheckMatrix(p.PrimitiveVariances, count, length, $"{name} primitive variances")));
            }
            catch (ArgumentException e) { throw new HasherFormatException($"{name} primitives: {e.Message}", e); }
        }
        var hasher = new PrimitiveMultiCodeHasher(file.Seed, segmentation, descriptor, byModality, codes);
        HasherJson.CheckVersion(file.Version, hasher.Version);
        return hasher;
    }

    private static List<(int Primitive, Patch Pixels)> Clusters(Patch patch, RegionSegmentation segmentation, PatchDescriptor descriptor,
        Dictionary<Modality, (DescriptorScaling Scaling, GaussianMixture Primitives)> byModality)
    {
        var (scaling, mixture) = byModality[patch.Modality];
        var byPrimitive = new SortedDictionary<int, List<int>>();
        var regions = segmentation.Segment(patch);
        for (int r = 0; r < regions.Count; r++)
        {
            var z = scaling.Standardise(descriptor.Compute(RegionSegmentation.PixelsOf(patch, regions[r], $"{patch.Id}#{r}")));
            int primitive = mixture.MostLikely(z);
            if (!byPrimitive.TryGetValue(primitive, out var pixels)) byPrimitive[primitive] = pixels = [];
            pixels.AddRange(regions[r]);
        }
        return byPrimitive.Select(kv => (kv.Key, RegionSegmentation.PixelsOf(patch, kv.Value, $"{patch.Id}#p{kv.Key}"))).ToList();
    }

    private void CheckModality(Patch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (!Modalities.Contains(patch.Modality))
            throw new ArgumentException($"The {Version} hasher does not accept {patch.Modality} patches.", nameof(patch));
    }

    /// <summary>The version's fingerprint covers the codes by their own version (itself a fingerprint of their parameters).</summary>
    private MultiCodeFile ToFile(string version, bool includeCodes)
    {
        JsonElement codes;
        if (includeCodes)
        {
            var buffer = new MemoryStream();
            _codes.Save(buffer);
            using var document = JsonDocument.Parse(buffer.ToArray());
            codes = document.RootElement.Clone();
        }
        else codes = JsonSerializer.SerializeToElement(_codes.Version);
        return new MultiCodeFile(Kind, version, Bits, Seed, _segmentation.Regions, _segmentation.Compactness, _descriptor.Name,
            _byModality.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(), kv => new PrimitiveParameters(
                kv.Value.Scaling.Means, kv.Value.Scaling.Stds, kv.Value.Primitives.Weights, kv.Value.Primitives.Means, kv.Value.Primitives.Variances)),
            codes, _descriptor.WordsFile());
    }

    private sealed record MultiCodeFile(
        string Kind, string Version, int Bits, int Seed, int Regions, double Compactness, string Descriptor,
        Dictionary<string, PrimitiveParameters>? Modalities, JsonElement Codes,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Dictionary<string, SpectralWordsParameters>? Words);

    private sealed record PrimitiveParameters(
        double[]? Means, double[]? Stds, double[]? Weights, double[][]? PrimitiveMeans, double[][]? PrimitiveVariances);
}
