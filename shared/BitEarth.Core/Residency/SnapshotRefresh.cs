namespace BitEarth.Core.Residency;

/// <summary>What one refresh of an encoder's shard snapshots did: blobs rewritten, blobs already current, records in all.</summary>
public sealed record SnapshotRefresh(string Encoder, int ShardsWritten, int ShardsUnchanged, long Records);
