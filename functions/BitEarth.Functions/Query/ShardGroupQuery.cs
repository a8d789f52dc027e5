using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>Input of one SearchShardGroup activity: the query and the groups it searches, in plan order.</summary>
public sealed record ShardGroupQuery(PreparedQuery Query, IReadOnlyList<ShardGroup> Groups);
