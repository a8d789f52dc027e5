using System.Numerics;

namespace BitEarth.Core.Query;

/// <summary>
/// Which shard groups a query visits, computed from the code alone (no index needed), so an orchestrator can plan
/// its fan-out deterministically: every prefix of every target modality, nearest prefix first, chunked into groups.
/// This is the one ordering of shards the query path uses; group searches visit them as planned.
/// </summary>
public static class ShardPlan
{
    public static IReadOnlyList<ShardGroup> For(PreparedQuery query, int prefixBits, int shardsPerGroup)
    {
        int q = query.Code.Prefix(prefixBits);
        var prefixes = Enumerable.Range(0, 1 << prefixBits)
            .OrderBy(p => BitOperations.PopCount((uint)(p ^ q))).ThenBy(p => p)
            .ToArray();
        return query.Modalities
            .SelectMany(m => prefixes.Chunk(shardsPerGroup).Select(chunk => new ShardGroup(m, chunk)))
            .ToList();
    }
}
