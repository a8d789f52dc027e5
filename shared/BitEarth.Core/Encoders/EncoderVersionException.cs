namespace BitEarth.Core.Encoders;

/// <summary>An encoder version that is not a plain name (it would be a path in the encoders container, or nothing).</summary>
public sealed class EncoderVersionException(string version, string reason)
    : ArgumentException($"Encoder version '{version}' {reason}.")
{
    public string Version { get; } = version;
}
