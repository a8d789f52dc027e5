using BitEarth.Core.Encoders;
using BitEarth.Onnx;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// Where `train --out` writes. A folder gets &lt;version&gt;.zip (the encoder package) and &lt;version&gt;.png (loss
/// and validation mAP curves). A blob container URL (<see cref="BlobLocation"/>) is taken as the encoders container
/// the service loads from: the package as the hasher file re-index reads, named <see cref="EncoderCatalog.BlobName"/>
/// (&lt;version&gt;.json), and &lt;version&gt;.png beside it.
/// </summary>
public sealed class Destination
{
    private readonly string? _folder;
    private readonly BlobLocation? _container;

    private Destination(string? folder, BlobLocation? container)
    {
        _folder = folder;
        _container = container;
    }

    /// <summary>The output folder, or null for a blob container.</summary>
    public string? Folder => _folder;

    /// <summary>A relative folder resolves against the working directory.</summary>
    public static Destination Parse(string value) =>
        BlobLocation.IsUrl(value) ? new Destination(null, BlobLocation.Parse(value)) : new Destination(Path.GetFullPath(value), null);

    /// <summary>Writes the package and the plot; returns what was written, for the console.</summary>
    public async Task<string> WriteAsync(EncoderPackage package, byte[] plot, CancellationToken cancel)
    {
        string version = package.Manifest.Version;
        if (_container is null)
        {
            Directory.CreateDirectory(_folder!);
            string packagePath = Path.Combine(_folder!, $"{version}.zip"), plotPath = Path.Combine(_folder!, $"{version}.png");
            await using (var file = File.Create(packagePath)) package.Write(file);
            await File.WriteAllBytesAsync(plotPath, plot, cancel);
            return $"{packagePath} and {plotPath}";
        }
        using var hasherFile = new MemoryStream();
        package.WriteHasherFile(hasherFile);
        string name = EncoderCatalog.BlobName(version);
        await _container.WriteAsync(name, hasherFile.ToArray(), cancel);
        await _container.WriteAsync($"{version}.png", plot, cancel);
        return $"{name} and {version}.png to {_container.Url}";
    }
}
