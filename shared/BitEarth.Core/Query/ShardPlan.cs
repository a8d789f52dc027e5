using System.Numerics;

namespace BitEarth.Core.Query;

/// <summary>
/// Which shard groups a query visits, computed from the code alone (no index needed), so an orchestrator can plan
/// its fan-out deterministically. Groups are fixed sets of prefixes (consecutive prefix values, <c>shardsPerGroup</c>
/// at a time), the same for every query, so an instance can hold whole groups (<see cref="ArchiveOptions.MaxResidentCodes"/>);
/// within a group prefixes are visited nearest first, and groups are listed nearest first.
/// This is the one ordering of shards the query path uses; group searches visit them as planned.
/// </summary>
public static class ShardPlan
{
    public static IReadOnlyList<ShardGroup> For(PreparedQuery query, int prefixBits, int shardsPerGroup)
    {
        int q = query.Code.Prefix(prefixBits);
        var chunks = Groups(prefixBits, shardsPerGroup)
            .Select(chunk => chunk.OrderBy(p => BitOperations.PopCount((uint)(p ^ q))).ThenBy(p => p).ToArray())
            .OrderBy(chunk => BitOperations.PopCount((uint)(chunk[0] ^ q))).ThenBy(chunk => chunk.Min())
            .ToArray();
        return query.Modalities
            .SelectMany(m => chunks.Select(chunk => new ShardGroup(m, chunk)))
            .ToList();
    }

    /// <summary>
    /// The plan's groups as the searches of a durable fan-out, in plan order. Under a residency cap, one group per
    /// search: an instance holds whole groups, and each search may run on another instance. Without a cap every
    /// instance holds every group, so a search per group only adds work items (each a queue message, a history event
    /// and an orchestrator replay on the task hub; measured with bench/BitEarth.ServiceBench): one search visits them all.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ShardGroup>> Searches(IReadOnlyList<ShardGroup> groups, bool capped) =>
        capped ? [.. groups.Select(g => (IReadOnlyList<ShardGroup>)[g])] : [groups];

    /// <summary>The fixed prefix sets of the groups, in prefix order.</summary>
    public static IReadOnlyList<int[]> Groups(int prefixBits, int shardsPerGroup)
    {
        if (shardsPerGroup < 1) throw new ArgumentOutOfRangeException(nameof(shardsPerGroup), "A group holds at least one shard.");
        return Enumerable.Range(0, 1 << prefixBits).Chunk(shardsPerGroup).ToList();
    }
}
