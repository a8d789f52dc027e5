using BitEarth.Core.Patches;

namespace BitEarth.Core.Query;

/// <summary>
/// Shards of one modality searched together by one activity, nearest prefix first (as <see cref="ShardPlan"/> orders
/// them): the search stops at the first prefix whose lower bound exceeds its k-th distance. The set of prefixes is
/// fixed per group (<see cref="ShardPlan.Groups"/>), so <see cref="Name"/> names what an instance holds.
/// </summary>
public sealed record ShardGroup(Modality Modality, IReadOnlyList<int> Prefixes)
{
    /// <summary>Modality and the prefixes in ascending order, e.g. "S2|00-03": the same for every query's order.</summary>
    public string Name => $"{Modality}|{string.Join('-', Prefixes.Order().Select(p => p.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)))}";
}
