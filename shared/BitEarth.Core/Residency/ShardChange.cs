using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>A record to upsert into a resident shard, with its key and code words decoded once.</summary>
internal readonly record struct ShardChange(long Key, ulong[] Words, CodeRecord Record);
