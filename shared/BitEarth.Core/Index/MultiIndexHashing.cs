using System.Numerics;
using System.Runtime.CompilerServices;
using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>
/// Exact Hamming top-k by multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming Space with
/// Multi-Index Hashing", CVPR 2012). Codes are cut into m disjoint substrings, each indexed by a table of postings.
/// A search probes every table with the substring values at radius s = 0, 1, 2, ... from the query's substring and
/// verifies each candidate once with its full distance. Pigeonhole: once substrings 0..j have been probed up to radius
/// s and the others up to s - 1, a code not yet seen differs in at least s + 1 bits in each of the first j + 1
/// substrings and s bits in the rest, so every code within m*s + j bits has been verified (this holds for substrings
/// of unequal length too). The search stops when the k-th best distance is within that bound. As in ski rental, once
/// the work spent on probes and verifications plus the next radius' probes would exceed the cost of scanning every
/// code, it scans every code instead, so a search costs about twice the cheaper of the two at most (as far as the
/// cost model below is right). Either way
/// the result equals brute force: hits ordered by distance then key, ties broken by the smaller key.
/// Every code width the project allows (8..256 bits) is accepted; codes of up to 32 bits get one table keyed by
/// the whole code when m = 1. Upserts go to a small side index scanned in full and removals mark the code's position
/// dead, until the changes amount to 1/64 of the tables' codes: then the tables are rebuilt over the live codes.
/// Searches may run concurrently; mutations need exclusive access.
/// </summary>
public sealed class MultiIndexHashing : IBinaryIndex
{
    // Costs in units of one code compared by the scan kernel: a probe is a random read of a table's offsets (a binary
    // search in a sparse table), a verification a random read of a code and a visited bit. Measured on the 2-core
    // benchmark machine with uniform 64-bit codes: a probe or verification cost 280..400 codes scanned.
    private const long DenseProbeCost = 384;
    private const long SparseProbeCost = 768;
    private const long VerifyCost = 384;

    // Changes kept beside the tables before a rebuild: at most this many, or 1/64 of the tables' codes if more.
    private const int FewestChangesBeforeRebuild = 1024;

    private readonly int _words;
    private readonly int? _substrings;
    private long[] _keys;
    private ulong[] _codes;
    private SubstringLayout _layout;
    private SubstringTable[] _tables;
    private ShardedHammingIndex _added;
    private Dictionary<long, int>? _positionOfKey;
    private ulong[]? _dead;
    private int _deadCount;

    /// <summary>
    /// Indexes packed codes: <paramref name="codes"/> holds the words of code i at [i*W, (i+1)*W) with W = ceil(bits/64),
    /// the layout <see cref="ShardedHammingIndex.Load"/> takes. Keys must be distinct (a repeat is reported on the
    /// first mutation). <paramref name="substrings"/> is m; by default
    /// <see cref="DefaultSubstrings"/>. With <paramref name="scanWhenCheaper"/> false a search keeps probing the tables
    /// until one more radius would probe more substring values than there are codes (for measuring the tables alone).
    /// </summary>
    public MultiIndexHashing(int bits, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> codes, int? substrings = null, bool scanWhenCheaper = true)
    {
        HammingCode.ValidateBits(bits);
        _words = HammingCode.WordCount(bits);
        if (codes.Length != (long)keys.Length * _words)
            throw new ArgumentException($"{keys.Length} keys need {(long)keys.Length * _words} code words, got {codes.Length}.", nameof(codes));
        int fewest = MinSubstrings(bits);
        int m = substrings ?? DefaultSubstrings(bits, keys.Length);
        if (m < fewest || m > bits)
            throw new ArgumentOutOfRangeException(nameof(substrings), m, $"{bits}-bit codes take {fewest}..{bits} substrings (each at most {SubstringLayout.MaxLength} bits).");
        ValidateTailBits(bits, codes);

        Bits = bits;
        ScanWhenCheaper = scanWhenCheaper;
        _substrings = substrings;
        _added = new ShardedHammingIndex(bits, prefixBits: 0);
        (_keys, _codes, _layout, _tables) = Build(keys.ToArray(), codes.ToArray());
    }

    public int Bits { get; }

    /// <summary>Whether a search turns to a full scan once it has spent about what the scan costs.</summary>
    public bool ScanWhenCheaper { get; }

    public int Count => _keys.Length - _deadCount + _added.Count;

    /// <summary>m, the number of disjoint substrings (and tables).</summary>
    public int Substrings => _tables.Length;

    /// <summary>Length in bits of each substring, in code order.</summary>
    public IReadOnlyList<int> SubstringLengths => Enumerable.Range(0, Substrings).Select(_layout.Length).ToList();

    /// <summary>Bytes held: keys, codes and every table's values, offsets and postings, and codes added since the tables were built.</summary>
    public long MemoryBytes =>
        ((long)_keys.Length + _added.Count) * sizeof(long) + ((long)_codes.Length + (long)_added.Count * _words) * sizeof(ulong) +
        _tables.Sum(t => t.MemoryBytes);

    /// <summary>The paper's choice m = bits / log2(N), so each table has about as many buckets as codes; at least enough substrings of at most 32 bits.</summary>
    public static int DefaultSubstrings(int bits, long count)
    {
        HammingCode.ValidateBits(bits);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "A code count cannot be negative.");
        int m = (int)Math.Round(bits / Math.Log2(Math.Max(count, 2)));
        return Math.Clamp(m, MinSubstrings(bits), bits);
    }

    /// <summary>Adds or replaces the code of <paramref name="key"/>; calling it twice with the same pair is a no-op.</summary>
    public void Upsert(long key, HammingCode code)
    {
        if (code.Bits != Bits) throw new ArgumentException($"Index holds {Bits}-bit codes, got {code.Bits}.", nameof(code));
        if (LivePosition(key) is int position)
        {
            if (_codes.AsSpan(position * _words, _words).SequenceEqual(code.Words)) return;
            MarkDead(position);
        }
        _added.Upsert(key, code);
        RebuildIfStale();
    }

    public bool Remove(long key)
    {
        if (LivePosition(key) is int position) MarkDead(position);
        else if (!_added.Remove(key)) return false;
        RebuildIfStale();
        return true;
    }

    /// <summary>
    /// Exact top-k (ties by key) for each query, spread over threads; results are in query order.
    /// <see cref="SearchResult.CodesScanned"/> counts the codes whose full distance was computed (candidates verified,
    /// plus all N codes again if the search fell back to a scan, plus the codes added since the tables were built);
    /// <see cref="SearchResult.ShardsVisited"/> counts the non-empty substring buckets opened. Without
    /// <see cref="SearchOptions.Prune"/> every code is scanned.
    /// </summary>
    public SearchResult[] SearchMany(IReadOnlyList<HammingCode> queries, int k, SearchOptions? options = null)
    {
        options = SearchArguments.Options(options);
        SearchArguments.Queries(Bits, queries, k);
        var results = new SearchResult[queries.Count];
        Parallel.For(0, queries.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads },
            () => new VisitedSet(_keys.Length),
            (q, _, visited) =>
            {
                results[q] = Search(queries[q], k, options.Prune, visited);
                return visited;
            },
            _ => { });
        return results;
    }

    private SearchResult Search(HammingCode query, int k, bool prune, VisitedSet visited)
    {
        var added = _added.Count > 0 ? _added.Search(query, k) : null;
        var top = new TopK(k, Bits);
        foreach (var hit in added?.Hits ?? []) top.Offer(hit.Key, hit.Distance);
        int buckets = added?.ShardsVisited ?? 0;
        long scanned = added?.CodesScanned ?? 0;
        bool bounded;
        try
        {
            bounded = prune && ProbeTables(query.Words, top, visited, ref buckets);
            scanned += visited.Count;
        }
        finally
        {
            visited.Clear();
        }
        if (!bounded)
        {
            top = ScanAll(query.Words, k, added);
            buckets++;
            scanned += _keys.Length;
        }
        return new SearchResult(top.ToSortedList(), buckets, scanned);
    }

    /// <summary>
    /// Probes the tables radius by radius into <paramref name="top"/>; true once every code that could enter it has been
    /// verified, false when a full scan is the cheaper way on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool ProbeTables(ReadOnlySpan<ulong> query, TopK top, VisitedSet visited, ref int buckets)
    {
        int n = _keys.Length;
        if (n == 0) return true;
        int m = _tables.Length;
        Span<uint> parts = stackalloc uint[m];
        for (int j = 0; j < m; j++) parts[j] = _layout.Extract(query, j);
        long spent = 0;
        for (int radius = 0; radius <= _layout.MaxSubstringLength; radius++)
        {
            for (int j = 0; j < m; j++)
            {
                int length = _layout.Length(j);
                if (radius <= length)
                {
                    long probes = Binomial(length, radius);
                    long probeCost = probes * (_tables[j].IsDense ? DenseProbeCost : SparseProbeCost);
                    if ((ScanWhenCheaper ? spent + probeCost : probes) > n) return false;
                    int verified = visited.Count;
                    buckets += Probe(_tables[j], parts[j], length, radius, query, top, visited);
                    spent += probeCost + (visited.Count - verified) * VerifyCost;
                }
                // Pigeonhole bound: every code within m*radius + j bits of the query has been verified.
                if (visited.Count == n || (top.IsFull && top.WorstDistance <= m * radius + j)) return true;
            }
        }
        return false;
    }

    // Opens the buckets of all substring values at exactly `radius` bits from `part`; returns how many were non-empty.
    private int Probe(SubstringTable table, uint part, int length, int radius, ReadOnlySpan<ulong> query, TopK top, VisitedSet visited)
    {
        if (radius == 0) return Verify(table.Postings(part), query, top, visited);
        int opened = 0;
        // Gosper's hack: every `length`-bit mask with `radius` bits set, in increasing order.
        ulong limit = 1UL << length;
        for (ulong mask = (1UL << radius) - 1; mask < limit;)
        {
            opened += Verify(table.Postings(part ^ (uint)mask), query, top, visited);
            ulong lowest = mask & (ulong)-(long)mask;
            ulong ripple = mask + lowest;
            mask = (((ripple ^ mask) >> 2) >> BitOperations.TrailingZeroCount(lowest)) | ripple;
        }
        return opened;
    }

    private int Verify(ReadOnlySpan<int> postings, ReadOnlySpan<ulong> query, TopK top, VisitedSet visited)
    {
        if (postings.IsEmpty) return 0;
        foreach (int position in postings)
        {
            if (!visited.Add(position) || IsDead(position)) continue;
            int d = Distance(position, query);
            if (d <= top.WorstDistance) top.Offer(_keys[position], d);
        }
        return 1;
    }

    // The fallback: a fresh top-k from the vector scan kernel over all codes, exact on its own; the codes verified
    // so far are compared again, which costs less than checking every code against the visited set. Dead codes are
    // scanned too, so the scan keeps that many more hits and drops them after.
    private TopK ScanAll(ReadOnlySpan<ulong> query, int k, SearchResult? added)
    {
        var scanned = new TopK(k + _deadCount, Bits);
        HammingScan.Scan(_codes, _keys, query, scanned);
        if (_deadCount == 0 && added is null) return scanned;
        var top = new TopK(k, Bits);
        foreach (var hit in scanned.ToSortedList())
            if (_deadCount == 0 || !IsDead(_positionOfKey![hit.Key])) top.Offer(hit.Key, hit.Distance);
        foreach (var hit in added?.Hits ?? []) top.Offer(hit.Key, hit.Distance);
        return top;
    }

    private (long[] Keys, ulong[] Codes, SubstringLayout Layout, SubstringTable[] Tables) Build(long[] keys, ulong[] codes)
    {
        var layout = new SubstringLayout(Bits, _substrings ?? DefaultSubstrings(Bits, keys.Length));
        var tables = new SubstringTable[layout.Count];
        var values = new uint[keys.Length];
        for (int j = 0; j < tables.Length; j++)
        {
            for (int i = 0, o = 0; i < values.Length; i++, o += _words) values[i] = layout.Extract(codes.AsSpan(o, _words), j);
            tables[j] = SubstringTable.Build(values, layout.Length(j));
        }
        return (keys, codes, layout, tables);
    }

    // Rebuilds the tables over the live codes once the side index and the dead positions cost searches more than
    // a rebuild amortised over the changes that caused it.
    private void RebuildIfStale()
    {
        if (_added.Count + _deadCount <= Math.Max(FewestChangesBeforeRebuild, _keys.Length / 64)) return;
        int live = Count;
        var keys = new long[live];
        var codes = new ulong[(long)live * _words];
        int at = 0;
        for (int position = 0; position < _keys.Length; position++)
        {
            if (IsDead(position)) continue;
            keys[at] = _keys[position];
            _codes.AsSpan(position * _words, _words).CopyTo(codes.AsSpan(at++ * _words));
        }
        if (_added.ShardAt(0) is { } addedCodes)
        {
            addedCodes.Keys.CopyTo(keys.AsSpan(at));
            addedCodes.Codes.CopyTo(codes.AsSpan(at * _words));
        }
        (_keys, _codes, _layout, _tables) = Build(keys, codes);
        _added = new ShardedHammingIndex(Bits, prefixBits: 0);
        (_positionOfKey, _dead, _deadCount) = (null, null, 0);
    }

    /// <summary>The tables' position of <paramref name="key"/>'s code while it is live.</summary>
    private int? LivePosition(long key)
    {
        if (_positionOfKey is null)
        {
            var positions = new Dictionary<long, int>(_keys.Length);
            for (int position = 0; position < _keys.Length; position++)
                if (!positions.TryAdd(_keys[position], position))
                    throw new InvalidDataException($"Key {_keys[position]} was indexed more than once.");
            (_positionOfKey, _dead) = (positions, new ulong[(_keys.Length + 63) >> 6]);
        }
        return _positionOfKey.TryGetValue(key, out int at) && !IsDead(at) ? at : null;
    }

    private void MarkDead(int position)
    {
        _dead![position >> 6] |= 1UL << position;
        _deadCount++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsDead(int position) => _dead is { } dead && (dead[position >> 6] & (1UL << position)) != 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Distance(int position, ReadOnlySpan<ulong> query)
    {
        if (_words == 1) return BitOperations.PopCount(_codes[position] ^ query[0]);
        var code = _codes.AsSpan(position * _words, _words);
        int d = 0;
        for (int w = 0; w < code.Length; w++) d += BitOperations.PopCount(code[w] ^ query[w]);
        return d;
    }

    private static long Binomial(int n, int r)
    {
        long c = 1;
        for (int i = 1; i <= r; i++) c = c * (n - r + i) / i;
        return c;
    }

    private static int MinSubstrings(int bits) => (bits + SubstringLayout.MaxLength - 1) / SubstringLayout.MaxLength;

    private static void ValidateTailBits(int bits, ReadOnlySpan<ulong> codes)
    {
        if (bits % 64 == 0) return;
        int words = HammingCode.WordCount(bits);
        ulong beyond = ~0UL << (bits % 64);
        for (int i = words - 1; i < codes.Length; i += words)
            if ((codes[i] & beyond) != 0) throw new ArgumentException($"Code {i / words} has bits set beyond its {bits} bits.", nameof(codes));
    }
}
