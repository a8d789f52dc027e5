using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace BitEarth.Functions.Explorer;

/// <summary>
/// The explorer's static files, embedded in this assembly at build time (Explorer/wwwroot, committed as they are
/// served: no build step), with their content type and a hash ETag. Read once per process.
/// </summary>
public static class ExplorerAssets
{
    private const string Prefix = "explorer/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json",
        [".png"] = "image/png",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary();

    private static readonly Lazy<FrozenDictionary<string, Asset>> All = new(Load);

    /// <summary>An asset by its path under wwwroot ("" is index.html); null when there is none.</summary>
    public static Asset? Find(string? path)
    {
        var name = string.IsNullOrEmpty(path) || path.EndsWith('/') ? (path ?? "") + "index.html" : path;
        return All.Value.GetValueOrDefault(name);
    }

    public static IEnumerable<string> Names => All.Value.Keys;

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(ExplorerAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var name = resource[Prefix.Length..];
            assets[name] = new Asset(bytes, ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream"),
                $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12))}\"");
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
