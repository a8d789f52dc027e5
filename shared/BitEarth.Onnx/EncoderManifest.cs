using System.Text.Json;
using System.Text.Json.Serialization;
using BitEarth.Core.Patches;

namespace BitEarth.Onnx;

/// <summary>
/// encoder.json of an encoder package: which ONNX model hashes which modality, with the input bands, size and the
/// normalisation statistics of the training split, so every host prepares patches exactly as training did.
/// <see cref="SharedCodeSpace"/> says whether the modalities' codes are comparable; manifests written before it existed
/// lack it, and then it holds exactly when both modalities have a network (the trainer trained those cross-modally).
/// </summary>
public sealed record EncoderManifest(
    string Version,
    int Bits,
    IReadOnlyList<ModalityEncoder> Encoders,
    string TrainingData,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset Created,
    bool? SharedCodeSpace = null)
{
    public const string FileName = "encoder.json";

    /// <summary><see cref="SharedCodeSpace"/> as written, or what a manifest without it means.</summary>
    [JsonIgnore]
    public bool SharesCodeSpace => SharedCodeSpace
        ?? (Encoders.Any(e => e.Modality == Modality.S1) && Encoders.Any(e => e.Modality == Modality.S2));

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static EncoderManifest FromJson(string json)
    {
        EncoderManifest? manifest;
        try { manifest = JsonSerializer.Deserialize<EncoderManifest>(json, Json); }
        catch (JsonException e) { throw new EncoderPackageException($"{FileName} is not valid JSON: {e.Message}", e); }
        if (manifest is null || manifest.Encoders is null || manifest.Encoders.Count == 0)
            throw new EncoderPackageException($"{FileName} names no encoder.");
        if (manifest.Encoders.DistinctBy(e => e.Modality).Count() != manifest.Encoders.Count)
            throw new EncoderPackageException($"{FileName} names two encoders for one modality.");
        foreach (var encoder in manifest.Encoders) encoder.Validate();
        return manifest;
    }
}

/// <summary>One modality's network: model file inside the package, input layout and normalisation.</summary>
public sealed record ModalityEncoder(
    Modality Modality,
    string Model,
    IReadOnlyList<string> Bands,
    float[] Mean,
    float[] Std,
    int InputSize)
{
    public void Validate()
    {
        if (Bands is null || Bands.Count == 0) throw new EncoderPackageException($"{Modality} encoder lists no bands.");
        if (Mean is null || Std is null || Mean.Length != Bands.Count || Std.Length != Bands.Count)
            throw new EncoderPackageException($"{Modality} encoder needs one mean and one std per band ({Bands.Count}).");
        if (Std.Any(s => !(s > 0))) throw new EncoderPackageException($"{Modality} encoder has a non-positive std.");
        if (InputSize < 1) throw new EncoderPackageException($"{Modality} encoder input size must be positive.");
    }
}
