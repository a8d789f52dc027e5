using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>Input of the QueryFanOut orchestration: the prepared query and its shard plan.</summary>
public sealed record QueryFanOutInput(PreparedQuery Query, IReadOnlyList<ShardGroup> Groups);
