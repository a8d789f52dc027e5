namespace BitEarth.Core.Patches;

/// <summary>Input that cannot become a patch: names the offending file and why, so it can be quarantined with a reason.</summary>
public sealed class PatchFormatException(string file, string reason, Exception? inner = null)
    : Exception($"{file}: {reason}", inner)
{
    public string File { get; } = file;
    public string Reason { get; } = reason;
}
