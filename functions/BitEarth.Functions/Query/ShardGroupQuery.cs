using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>One query of a SearchShardGroup activity: the query and the groups it searches, in plan order.</summary>
public sealed record ShardGroupQuery(PreparedQuery Query, IReadOnlyList<ShardGroup> Groups);
