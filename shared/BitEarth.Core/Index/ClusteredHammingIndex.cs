using System.Numerics;
using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>
/// Exact Hamming top-k over codes grouped by their nearest centroid, as FAISS's IndexBinaryIVF groups them, but
/// exact: by the triangle inequality a code at distance r from its centroid is at least |D - r| from a query at
/// distance D from that centroid, so a search opens lists nearest centroid first and scans, in each list, only the
/// codes with |D - r| at most the current k-th distance (codes are stored by list, then by r, with an offset per r).
/// It stops once D minus the largest r of any list exceeds the k-th distance. On clustered codes (learned codes of
/// similar patches) a query scans about its own cluster; on uniform codes the bound cannot prune and it scans
/// nearly everything, one query at a time. Centroids are a farthest-first traversal of a sample, which puts one in
/// every cluster the sample reaches; which centroids are chosen affects speed only, never the result.
/// Upserts go to a small side index scanned in full and removals are remembered by key, until the changes amount to
/// 1/64 of the lists' codes: then the index is rebuilt over the live codes. Searches may run concurrently;
/// mutations need exclusive access.
/// </summary>
public sealed class ClusteredHammingIndex : IBinaryIndex
{
    private const int SamplePerList = 16;
    private const int FewestChangesBeforeRebuild = 1024;

    private readonly int _words;
    private readonly int? _lists;
    private long[] _keys = [];
    private ulong[] _codes = [];
    private ulong[] _centroids = [];
    // _starts[c * (Bits + 2) + r]: first code of list c at distance r from its centroid; r = Bits + 1 ends the list.
    private int[] _starts = [];
    private int _largestRadius;
    private ShardedHammingIndex _added;
    private HashSet<long> _removed = [];
    private Dictionary<long, int>? _positionOfKey;

    /// <summary>
    /// Indexes packed codes (the layout <see cref="ShardedHammingIndex.Load"/> takes); keys must be distinct.
    /// <paramref name="lists"/> is the number of centroids, by default <see cref="DefaultLists"/>.
    /// </summary>
    public ClusteredHammingIndex(int bits, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> codes, int? lists = null)
    {
        HammingCode.ValidateBits(bits);
        _words = HammingCode.WordCount(bits);
        if (codes.Length != (long)keys.Length * _words)
            throw new ArgumentException($"{keys.Length} keys need {(long)keys.Length * _words} code words, got {codes.Length}.", nameof(codes));
        if (lists is < 1) throw new ArgumentOutOfRangeException(nameof(lists), lists, "An index needs at least one list.");
        if (bits % 64 != 0)
        {
            ulong beyond = ~0UL << (bits % 64);
            for (int i = _words - 1; i < codes.Length; i += _words)
                if ((codes[i] & beyond) != 0) throw new ArgumentException($"Code {i / _words} has bits set beyond its {bits} bits.", nameof(codes));
        }
        Bits = bits;
        _lists = lists;
        _added = new ShardedHammingIndex(bits, prefixBits: 0);
        Build(keys, codes);
    }

    public int Bits { get; }

    public int Count => _keys.Length - _removed.Count + _added.Count;

    /// <summary>Centroids (lists) in use.</summary>
    public int Lists => _centroids.Length / _words;

    public long MemoryBytes =>
        ((long)_keys.Length + _added.Count) * sizeof(long) + ((long)_codes.Length + _centroids.Length + (long)_added.Count * _words) * sizeof(ulong) +
        (long)_starts.Length * sizeof(int) + (long)_removed.Count * sizeof(long);

    /// <summary>About the square root of the count, at most 1024 lists (the assignment costs N x lists distances).</summary>
    public static int DefaultLists(long count) => (int)Math.Clamp(Math.Sqrt(count), 1, 1024);

    public void Upsert(long key, HammingCode code)
    {
        if (code.Bits != Bits) throw new ArgumentException($"Index holds {Bits}-bit codes, got {code.Bits}.", nameof(code));
        if (LivePosition(key) is int position)
        {
            if (_codes.AsSpan(position * _words, _words).SequenceEqual(code.Words)) return;
            _removed.Add(key);
        }
        _added.Upsert(key, code);
        RebuildIfStale();
    }

    public bool Remove(long key)
    {
        if (LivePosition(key) is not null) _removed.Add(key);
        else if (!_added.Remove(key)) return false;
        RebuildIfStale();
        return true;
    }

    /// <summary>
    /// Exact top-k (ties by key) for each query, spread over threads; results are in query order.
    /// <see cref="SearchResult.ShardsVisited"/> counts the lists scanned, <see cref="SearchResult.CodesScanned"/> the
    /// codes compared (centroids included). Without <see cref="SearchOptions.Prune"/> every list is scanned whole.
    /// </summary>
    public SearchResult[] SearchMany(IReadOnlyList<HammingCode> queries, int k, SearchOptions? options = null)
    {
        options = SearchArguments.Options(options);
        SearchArguments.Queries(Bits, queries, k);
        var results = new SearchResult[queries.Count];
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads },
            () => new Scratch(Lists, Bits),
            (q, _, scratch) =>
            {
                results[q] = Search(queries[q], k, options.Prune, scratch);
                return scratch;
            },
            _ => { });
        return results;
    }

    private sealed class Scratch(int lists, int bits)
    {
        public readonly int[] Distances = new int[lists];
        public readonly int[] Order = new int[lists];
        public readonly int[] Next = new int[bits + 2];
    }

    private SearchResult Search(HammingCode query, int k, bool prune, Scratch scratch)
    {
        var added = _added.Count > 0 ? _added.Search(query, k) : null;
        // Removed codes still sit in the lists: keep that many more hits and drop them after.
        var top = new TopK(k + _removed.Count, Bits);
        int lists = Lists, stride = Bits + 2, visited = 0;
        long scanned = lists;
        var q = query.Words;
        OrderByCentroidDistance(q, scratch);
        for (int i = 0; i < lists; i++)
        {
            int c = scratch.Order[i], d = scratch.Distances[c];
            int worst = prune && top.IsFull ? top.WorstDistance : Bits;
            if (d - _largestRadius > worst) break;
            int from = _starts[c * stride + Math.Max(d - worst, 0)];
            int to = _starts[c * stride + Math.Min(d + worst, Bits) + 1];
            if (to <= from) continue;
            visited++;
            scanned += to - from;
            HammingScan.Scan(_codes.AsSpan(from * _words, (to - from) * _words), _keys.AsSpan(from, to - from), q, top);
        }
        if (_removed.Count == 0 && added is null) return new SearchResult(top.ToSortedList(), visited, scanned);
        var live = new TopK(k, Bits);
        foreach (var hit in top.ToSortedList())
            if (!_removed.Contains(hit.Key)) live.Offer(hit.Key, hit.Distance);
        foreach (var hit in added?.Hits ?? []) live.Offer(hit.Key, hit.Distance);
        return new SearchResult(live.ToSortedList(), visited + (added?.ShardsVisited ?? 0), scanned + (added?.CodesScanned ?? 0));
    }

    // Distances to every centroid, and the lists in increasing distance (then index) by counting.
    private void OrderByCentroidDistance(ReadOnlySpan<ulong> q, Scratch scratch)
    {
        var next = scratch.Next;
        Array.Clear(next);
        for (int c = 0, o = 0; c < scratch.Distances.Length; c++, o += _words)
        {
            int d = 0;
            for (int w = 0; w < _words; w++) d += BitOperations.PopCount(_centroids[o + w] ^ q[w]);
            scratch.Distances[c] = d;
            next[d + 1]++;
        }
        for (int d = 0; d <= Bits; d++) next[d + 1] += next[d];
        for (int c = 0; c < scratch.Distances.Length; c++) scratch.Order[next[scratch.Distances[c]]++] = c;
    }

    private void Build(ReadOnlySpan<long> keys, ReadOnlySpan<ulong> codes)
    {
        int n = keys.Length;
        _centroids = FarthestFirst(codes, n, _lists ?? DefaultLists(n));
        int lists = Lists, stride = Bits + 2;
        var cell = new int[n];
        var centroids = _centroids;
        var source = codes.ToArray();
        int words = _words;
        Parallel.For(0, (n + 4095) / 4096, chunk =>
        {
            for (int i = chunk * 4096, end = Math.Min(n, i + 4096); i < end; i++)
            {
                var (list, r) = HammingScan.Nearest(centroids, source.AsSpan(i * words, words));
                cell[i] = list * stride + r;
            }
        });
        // Counting sort by (list, r), stable: _starts[cell] is where the codes of that cell begin.
        var starts = new int[lists * stride + 1];
        foreach (int at in cell) starts[at + 1]++;
        _largestRadius = 0;
        for (int at = 0; at < lists * stride; at++)
        {
            if (starts[at + 1] > 0) _largestRadius = Math.Max(_largestRadius, at % stride);
            starts[at + 1] += starts[at];
        }
        var sortedKeys = new long[n];
        var sortedCodes = new ulong[source.Length];
        var next = starts.AsSpan(0, lists * stride).ToArray();
        for (int i = 0; i < n; i++)
        {
            int slot = next[cell[i]]++;
            sortedKeys[slot] = keys[i];
            source.AsSpan(i * words, words).CopyTo(sortedCodes.AsSpan(slot * words));
        }
        (_keys, _codes, _starts) = (sortedKeys, sortedCodes, starts);
        (_removed, _positionOfKey) = ([], null);
        _added = new ShardedHammingIndex(Bits, prefixBits: 0);
    }

    // Farthest-first traversal of an evenly strided sample: each next centroid is the sampled code farthest from
    // those chosen (ties to the earlier one); stops early once every sampled code is a centroid's copy.
    private ulong[] FarthestFirst(ReadOnlySpan<ulong> codes, int n, int lists)
    {
        int sample = (int)Math.Min(n, (long)lists * SamplePerList);
        if (sample == 0) return new ulong[_words];
        var picked = new ulong[sample * _words];
        for (int s = 0; s < sample; s++) codes.Slice((int)((long)s * n / sample) * _words, _words).CopyTo(picked.AsSpan(s * _words));
        var nearest = new int[sample];
        Array.Fill(nearest, int.MaxValue);
        var centroids = new List<ulong>(lists * _words);
        int chosen = 0;
        for (int c = 0; c < lists; c++)
        {
            var centroid = picked.AsSpan(chosen * _words, _words);
            centroids.AddRange(centroid);
            int farthest = -1, far = 0;
            for (int s = 0; s < sample; s++)
            {
                int d = 0;
                for (int w = 0; w < _words; w++) d += BitOperations.PopCount(picked[s * _words + w] ^ centroid[w]);
                if (d < nearest[s]) nearest[s] = d;
                if (nearest[s] > far) (farthest, far) = (s, nearest[s]);
            }
            if (farthest < 0) break;
            chosen = farthest;
        }
        return centroids.ToArray();
    }

    private void RebuildIfStale()
    {
        if (_added.Count + _removed.Count <= Math.Max(FewestChangesBeforeRebuild, _keys.Length / 64)) return;
        int live = Count;
        var keys = new long[live];
        var codes = new ulong[(long)live * _words];
        int at = 0;
        for (int position = 0; position < _keys.Length; position++)
        {
            if (_removed.Contains(_keys[position])) continue;
            keys[at] = _keys[position];
            _codes.AsSpan(position * _words, _words).CopyTo(codes.AsSpan(at++ * _words));
        }
        if (_added.ShardAt(0) is { } addedCodes)
        {
            addedCodes.Keys.CopyTo(keys.AsSpan(at));
            addedCodes.Codes.CopyTo(codes.AsSpan(at * _words));
        }
        Build(keys, codes);
    }

    /// <summary>The lists' position of <paramref name="key"/>'s code while it is live.</summary>
    private int? LivePosition(long key)
    {
        if (_positionOfKey is null)
        {
            var positions = new Dictionary<long, int>(_keys.Length);
            for (int position = 0; position < _keys.Length; position++)
                if (!positions.TryAdd(_keys[position], position))
                    throw new InvalidDataException($"Key {_keys[position]} was indexed more than once.");
            _positionOfKey = positions;
        }
        return _positionOfKey.TryGetValue(key, out int at) && !_removed.Contains(key) ? at : null;
    }
}
