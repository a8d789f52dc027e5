using BitEarth.Core.Patches;

namespace BitEarth.Core.Query;

/// <summary>
/// Shards of one modality searched together by one activity, nearest prefix first (as <see cref="ShardPlan"/> orders
/// them): the search stops at the first prefix whose lower bound exceeds its k-th distance.
/// </summary>
public sealed record ShardGroup(Modality Modality, IReadOnlyList<int> Prefixes);
