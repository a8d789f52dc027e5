
using BitEarth.Core.Stores;

namespace BitEarth.Core.Encoders;

/// <summary>A query or re-index named an encoder version whose parameters were never published.</summary>
public sealed class EncoderNotFoundException(string version)
    : Exception($"Encoder '{version}' is not in the '{Containers.Encoders}' container.")
{
    public string Version { get; } = version;
}
