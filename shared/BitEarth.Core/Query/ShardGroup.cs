using BitEarth.Core.Patches;

namespace BitEarth.Core.Query;

/// <summary>Shards of one modality searched together by one activity.</summary>
public sealed record ShardGroup(Modality Modality, IReadOnlyList<int> Prefixes);
