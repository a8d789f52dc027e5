using System.Text.Json;
using System.Text.Json.Serialization;
using BitEarth.Core.Patches;

namespace BitEarth.Onnx;

/// <summary>
/// encoder.json of an encoder package: which ONNX model hashes which modality, with the input bands, size and the
/// normalisation statistics of the training split, so every host prepares patches exactly as training did.
/// </summary>
public sealed record EncoderManifest(
    string Version,
    int Bits,
    IReadOnlyList<ModalityEncoder> Encoders,
    string TrainingData,
    IReadOnlyDictionary<string, double> Metrics,
    DateTimeOffset Created)
{
    public const string FileName = "encoder.json";

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
