namespace BitEarth.Core.Index;

/// <summary>
/// Keeps the k best hits (by distance, then key). Distances are small integers (0..bits), so hits are bucketed by
/// distance and only the worst bucket in use has to be trimmed: no general heap.
/// </summary>
public sealed class TopK
{
    private readonly int _k;
    private readonly List<long>[] _buckets;
    private int _count;

    public TopK(int k, int bits)
    {
        _k = k;
        _buckets = new List<long>[bits + 1];
        WorstDistance = bits;
    }

    public bool IsFull => _count >= _k;

    /// <summary>Largest distance that can still enter once full; before that, the code length.</summary>
    public int WorstDistance { get; private set; }

    public void Offer(long key, int distance)
    {
        if (IsFull && distance > WorstDistance) return;
        (_buckets[distance] ??= new List<long>()).Add(key);
        _count++;
        if (_count > _k) Trim();
    }

    // Drops the worst hit: the largest key in the worst bucket (ties break by key).
    private void Trim()
    {
        while (_buckets[WorstDistance] is not { Count: > 0 }) WorstDistance--;
        var worst = _buckets[WorstDistance];
        int at = 0;
        for (int i = 1; i < worst.Count; i++) if (worst[i] > worst[at]) at = i;
        worst[at] = worst[^1];
        worst.RemoveAt(worst.Count - 1);
        _count--;
        while (_buckets[WorstDistance] is not { Count: > 0 }) WorstDistance--;
    }

    public List<Hit> ToSortedList()
    {
        var hits = new List<Hit>(_count);
        for (int d = 0; d < _buckets.Length; d++)
            if (_buckets[d] is { } keys)
                foreach (var key in keys) hits.Add(new Hit(key, d));
        hits.Sort();
        return hits;
    }

    /// <summary>Merges partial top-k lists (each exact over disjoint shards) into the exact global top-k.</summary>
    public static List<Hit> Merge(IEnumerable<IEnumerable<Hit>> partials, int k)
    {
        var all = partials.SelectMany(p => p).Distinct().ToList();
        all.Sort();
        return all.Count > k ? all.GetRange(0, k) : all;
    }
}
