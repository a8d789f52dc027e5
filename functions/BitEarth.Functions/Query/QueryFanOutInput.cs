using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>One query of a QueryFanOut orchestration: the prepared query and its searches (<see cref="ShardPlan.Searches"/>).</summary>
public sealed record QueryFanOutInput(PreparedQuery Query, IReadOnlyList<IReadOnlyList<ShardGroup>> Searches);
