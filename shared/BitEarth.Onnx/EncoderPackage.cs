using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BitEarth.Onnx;

/// <summary>
/// A trained encoder: encoder.json plus one ONNX model per modality (input "patch" [N,C,H,W] float, output "bits"
/// [N,B] in 0..1). Stored either as a zip (what the trainer writes) or as a hasher file, a JSON object
/// {"kind":"onnx","manifest":{...},"models":{name: base64}} that HasherKinds hands to OnnxHasherKind by its kind.
/// </summary>
public sealed record EncoderPackage(EncoderManifest Manifest, IReadOnlyDictionary<string, byte[]> Models)
{
    public const string InputName = "patch";
    public const string OutputName = "bits";
    public const string HasherKind = "onnx";

    public void Write(Stream destination)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, EncoderManifest.FileName, System.Text.Encoding.UTF8.GetBytes(Manifest.ToJson()));
        foreach (var (name, bytes) in Models) WriteEntry(zip, name, bytes);
    }

    public void WriteHasherFile(Stream destination)
    {
        var models = new JsonObject();
        foreach (var (name, bytes) in Models) models[name] = Convert.ToBase64String(bytes);
        var file = new JsonObject { ["kind"] = HasherKind, ["manifest"] = JsonNode.Parse(Manifest.ToJson()), ["models"] = models };
        using var writer = new Utf8JsonWriter(destination);
        file.WriteTo(writer);
    }

    /// <summary>Reads a package zip or a hasher file, telling them apart by their first byte.</summary>
    public static EncoderPackage Read(Stream source)
    {
        var buffer = new MemoryStream();
        source.CopyTo(buffer);
        buffer.Position = 0;
        return buffer.Length > 0 && buffer.GetBuffer()[0] == (byte)'P' ? ReadZip(buffer) : ReadHasherFile(buffer);
    }

    private static EncoderPackage ReadZip(Stream source)
    {
        try
        {
            using var zip = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
            var manifestEntry = zip.GetEntry(EncoderManifest.FileName)
                ?? throw new EncoderPackageException($"package has no {EncoderManifest.FileName}");
            using var reader = new StreamReader(manifestEntry.Open());
            var manifest = EncoderManifest.FromJson(reader.ReadToEnd());
            var models = new Dictionary<string, byte[]>();
            foreach (var encoder in manifest.Encoders)
            {
                var entry = zip.GetEntry(encoder.Model) ?? throw new EncoderPackageException($"package lacks model {encoder.Model}");
                using var model = entry.Open();
                using var bytes = new MemoryStream();
                model.CopyTo(bytes);
                models[encoder.Model] = bytes.ToArray();
            }
            return new EncoderPackage(manifest, models);
        }
        catch (InvalidDataException e) { throw new EncoderPackageException($"package is not a valid zip: {e.Message}", e); }
    }

    private static EncoderPackage ReadHasherFile(Stream source)
    {
        JsonNode? file;
        try { file = JsonNode.Parse(source); }
        catch (JsonException e) { throw new EncoderPackageException($"neither a package zip nor a hasher file: {e.Message}", e); }
        if (file?["kind"]?.GetValue<string>() != HasherKind || file["manifest"] is not JsonObject manifestNode || file["models"] is not JsonObject modelNodes)
            throw new EncoderPackageException($"hasher file needs kind \"{HasherKind}\", a manifest and models.");
        var manifest = EncoderManifest.FromJson(manifestNode.ToJsonString());
        var models = new Dictionary<string, byte[]>();
        foreach (var encoder in manifest.Encoders)
        {
            if (modelNodes[encoder.Model] is not JsonValue value || !value.TryGetValue<string>(out var base64))
                throw new EncoderPackageException($"hasher file lacks model {encoder.Model}");
            try { models[encoder.Model] = Convert.FromBase64String(base64); }
            catch (FormatException e) { throw new EncoderPackageException($"model {encoder.Model} is not base64", e); }
        }
        return new EncoderPackage(manifest, models);
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(bytes);
    }
}
