using System.Numerics;
using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>
/// Exact Hamming top-k over codes partitioned into shards by their first <see cref="PrefixBits"/> bits.
/// A shard's prefix distance to the query's prefix is a lower bound for every code in it, so shards are
/// visited nearest-prefix-first and the scan stops once that bound exceeds the current k-th distance.
/// </summary>
public sealed class ShardedHammingIndex
{
    private readonly Dictionary<int, HammingShard> _shards = new();
    private readonly Dictionary<long, int> _shardOfKey = new();

    public ShardedHammingIndex(int bits, int prefixBits)
    {
        HammingCode.ValidateBits(bits);
        if (prefixBits < 0 || prefixBits > 16) throw new ArgumentOutOfRangeException(nameof(prefixBits), "Prefix must be 0..16 bits.");
        Bits = bits;
        PrefixBits = prefixBits;
    }

    public int Bits { get; }

    public int PrefixBits { get; }

    public int Count => _shardOfKey.Count;

    public IReadOnlyCollection<int> ShardPrefixes => _shards.Keys;

    public int ShardSize(int prefix) => _shards.TryGetValue(prefix, out var s) ? s.Count : 0;

    /// <summary>Adds or replaces the code of <paramref name="key"/>; calling it twice with the same pair is a no-op.</summary>
    public void Upsert(long key, HammingCode code)
    {
        if (code.Bits != Bits) throw new ArgumentException($"Index holds {Bits}-bit codes, got {code.Bits}.");
        int prefix = code.Prefix(PrefixBits);
        if (_shardOfKey.TryGetValue(key, out int old) && old != prefix) _shards[old].Remove(key);
        if (!_shards.TryGetValue(prefix, out var shard)) _shards[prefix] = shard = new HammingShard(Bits);
        shard.Upsert(key, code.Words);
        _shardOfKey[key] = prefix;
    }

    public bool Remove(long key)
    {
        if (!_shardOfKey.Remove(key, out int prefix)) return false;
        _shards[prefix].Remove(key);
        return true;
    }

    /// <summary>Shard prefixes ordered by their lower bound for <paramref name="query"/> (then prefix), nearest first.</summary>
    public IReadOnlyList<(int Prefix, int LowerBound)> ShardsByBound(HammingCode query, IEnumerable<int>? among = null)
    {
        int q = query.Prefix(PrefixBits);
        return (among ?? _shards.Keys)
            .Select(p => (Prefix: p, LowerBound: BitOperations.PopCount((uint)(p ^ q))))
            .OrderBy(s => s.LowerBound).ThenBy(s => s.Prefix)
            .ToList();
    }

    /// <summary>Exact top-k (ties by key) over all shards, or only <paramref name="among"/> when given.</summary>
    public SearchResult Search(HammingCode query, int k, IEnumerable<int>? among = null)
    {
        if (query.Bits != Bits) throw new ArgumentException($"Index holds {Bits}-bit codes, got a {query.Bits}-bit query.");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1.");
        var top = new TopK(k, Bits);
        int visited = 0;
        long scanned = 0;
        foreach (var (prefix, bound) in ShardsByBound(query, among))
        {
            if (top.IsFull && bound > top.WorstDistance) break;
            if (!_shards.TryGetValue(prefix, out var shard)) continue;
            visited++;
            scanned += shard.Count;
            shard.Scan(query.Words, top);
        }
        return new SearchResult(top.ToSortedList(), visited, scanned);
    }
}
