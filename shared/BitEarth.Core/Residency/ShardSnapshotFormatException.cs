namespace BitEarth.Core.Residency;

/// <summary>A shard snapshot stream that cannot be read, with the reason.</summary>
public sealed class ShardSnapshotFormatException(string reason) : Exception($"Invalid shard snapshot: {reason}")
{
    public string Reason { get; } = reason;
}
