namespace BitEarth.Core.Stores;

/// <summary>A container or blob name that no store accepts, e.g. one that would escape its container.</summary>
public sealed class BlobNameException(string container, string name, string reason)
    : ArgumentException($"'{container}/{name}': {reason}")
{
    public string Container { get; } = container;
    public string Name { get; } = name;
    public string Reason { get; } = reason;
}
