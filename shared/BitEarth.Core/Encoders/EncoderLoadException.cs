using BitEarth.Core.Stores;

namespace BitEarth.Core.Encoders;

/// <summary>An encoder blob exists but cannot be loaded (not a hasher file or package, or another version inside).</summary>
public sealed class EncoderLoadException(string version, string blob, string reason, Exception? inner = null)
    : Exception($"Encoder '{version}' ({Containers.Encoders}/{blob}) cannot be loaded: {reason}", inner)
{
    public string Version { get; } = version;
    public string Blob { get; } = blob;
}
