using BitEarth.Core.Index;

namespace BitEarth.Core.Query;

/// <summary>
/// Exact top-k (ties by key) over some shards and the work it took: keys and distances only, so it travels between
/// durable activities cheaply. Partials over disjoint shards merge exactly.
/// </summary>
public sealed record PartialTopK(IReadOnlyList<Hit> Hits, int ShardsVisited, long CodesScanned)
{
    public static PartialTopK Merge(IReadOnlyCollection<PartialTopK> partials, int k) => new(
        TopK.Merge(partials.Select(p => p.Hits), k),
        partials.Sum(p => p.ShardsVisited),
        partials.Sum(p => p.CodesScanned));
}
