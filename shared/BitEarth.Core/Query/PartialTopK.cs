using BitEarth.Core.Index;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>
/// Exact top-k (ties by key) over some shards and the work it took: keys and distances, so it travels between
/// durable activities cheaply. Partials over disjoint shards merge exactly. A partial from an instance that holds only
/// some shard groups also carries the records of its hits (<see cref="Records"/>, aligned with <see cref="Hits"/>):
/// the instance that answers may not hold them, and k records are what the answer needs.
/// </summary>
public sealed record PartialTopK(IReadOnlyList<Hit> Hits, int ShardsVisited, long CodesScanned)
{
    public IReadOnlyList<CodeRecord>? Records { get; init; }

    public static PartialTopK Merge(IReadOnlyCollection<PartialTopK> partials, int k)
    {
        var hits = TopK.Merge(partials.Select(p => p.Hits), k);
        IReadOnlyList<CodeRecord>? records = null;
        if (partials.Count > 0 && partials.All(p => p.Records is not null))
        {
            var byKey = new Dictionary<long, CodeRecord>();
            foreach (var partial in partials)
                for (int i = 0; i < partial.Hits.Count; i++) byKey[partial.Hits[i].Key] = partial.Records![i];
            records = [.. hits.Select(h => byKey[h.Key])];
        }
        return new PartialTopK(hits, partials.Sum(p => p.ShardsVisited), partials.Sum(p => p.CodesScanned)) { Records = records };
    }
}
