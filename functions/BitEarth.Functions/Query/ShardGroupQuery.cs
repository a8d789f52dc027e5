
using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>Input of one SearchShardGroup activity.</summary>
public sealed record ShardGroupQuery(PreparedQuery Query, ShardGroup Group);
