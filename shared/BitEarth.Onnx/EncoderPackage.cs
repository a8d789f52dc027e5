using System.IO.Compression;

namespace BitEarth.Onnx;

/// <summary>
/// The zip that carries a trained encoder: encoder.json plus one ONNX model per modality
/// (input "patch" [N,C,H,W] float, output "bits" [N,B] in 0..1).
/// </summary>
public sealed record EncoderPackage(EncoderManifest Manifest, IReadOnlyDictionary<string, byte[]> Models)
{
    public const string InputName = "patch";
    public const string OutputName = "bits";

    public void Write(Stream destination)
    {
        using var zip = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(zip, EncoderManifest.FileName, System.Text.Encoding.UTF8.GetBytes(Manifest.ToJson()));
        foreach (var (name, bytes) in Models) WriteEntry(zip, name, bytes);
    }

    public static EncoderPackage Read(Stream source)
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
        catch (InvalidDataException e) { throw new EncoderPackageException($"package is not a zip: {e.Message}", e); }
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        stream.Write(bytes);
    }
}
