namespace BitEarth.Core.Hashing;

/// <summary>A hasher parameter file that cannot be loaded: unknown kind, malformed JSON, wrong shapes or a tampered version.</summary>
public sealed class HasherFormatException(string reason, Exception? inner = null)
    : Exception($"Invalid hasher file: {reason}", inner)
{
    public string Reason { get; } = reason;
}
