using BitEarth.Core.Index;

namespace BitEarth.Core.Query;

/// <summary>Exact top-k over some shards and the work it took. Partials over disjoint shards merge exactly.</summary>
public sealed record PartialTopK(IReadOnlyList<RankedPatch> Hits, int ShardsVisited, long CodesScanned)
{
    public static PartialTopK Merge(IEnumerable<PartialTopK> partials, int k)
    {
        var list = partials.ToList();
        var byKey = new Dictionary<long, RankedPatch>();
        foreach (var hit in list.SelectMany(p => p.Hits)) byKey[hit.Key] = hit;
        var top = TopK.Merge(list.Select(p => p.Hits.Select(h => h.Hit)), k);
        return new PartialTopK(
            top.Select(h => byKey[h.Key]).ToList(),
            list.Sum(p => p.ShardsVisited),
            list.Sum(p => p.CodesScanned));
    }
}
