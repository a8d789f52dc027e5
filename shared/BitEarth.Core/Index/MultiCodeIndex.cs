using System.Runtime.InteropServices;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;

namespace BitEarth.Core.Index;

/// <summary>
/// Patches described by several codes each (multi-code hashing), searched exactly under a <see cref="MultiCodeMatching"/>
/// rule. Codes are packed in one array with each patch's codes side by side, so a query streams them once, a block of
/// whole patches at a time: each query code's distances to the block's codes (<see cref="HammingDistances"/>, vectorised
/// for codes up to 64 bits), then per patch each query code's nearest, combined by the rule, and a <see cref="TopK"/>
/// over the rule's integer range keeps the k best (ties by key). A full scan, so exact by construction; query cost is
/// (query codes) x (codes held).
/// </summary>
public sealed class MultiCodeIndex
{
    private readonly List<ulong> _codes = [];
    private readonly List<long> _keys = [];
    private readonly List<int> _starts = [0];

    /// <summary>Codes per block of the scan: a block's distances to every query code stay in cache while its patches are combined.</summary>
    private const int BlockCodes = 1024;

    /// <summary>The largest code set, so one block always holds a whole patch.</summary>
    private int _mostCodes;

    public MultiCodeIndex(int bits)
    {
        HammingCode.ValidateBits(bits);
        Bits = bits;
        Words = HammingCode.WordCount(bits);
    }

    public int Bits { get; }

    private int Words { get; }

    public int Count => _keys.Count;

    public int CodeCount => _codes.Count / Words;

    public void Add(long key, IReadOnlyList<HammingCode> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Count == 0) throw new ArgumentException($"Patch {key} has no codes.", nameof(codes));
        foreach (var code in codes)
        {
            if (code.Bits != Bits) throw new ArgumentException($"A {code.Bits}-bit code cannot join a {Bits}-bit index.", nameof(codes));
            foreach (var word in code.Words) _codes.Add(word);
        }
        _keys.Add(key);
        _starts.Add(_codes.Count / Words);
        _mostCodes = Math.Max(_mostCodes, codes.Count);
    }

    /// <summary>The k patches nearest to the query's code set under <paramref name="matching"/>, by distance then key.</summary>
    public List<Hit> Search(IReadOnlyList<HammingCode> query, int k, MultiCodeMatching matching)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Count == 0) throw new ArgumentException("A query needs at least one code.", nameof(query));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (query.Any(q => q.Bits != Bits)) throw new ArgumentException($"Query codes must have {Bits} bits.", nameof(query));
        var queryWords = query.SelectMany(q => q.Words.ToArray()).ToArray();
        var codes = CollectionsMarshal.AsSpan(_codes);
        var keys = CollectionsMarshal.AsSpan(_keys);
        var starts = CollectionsMarshal.AsSpan(_starts);
        bool nearestPair = matching == MultiCodeMatching.NearestPair;
        int block = Math.Max(BlockCodes, _mostCodes);
        var distances = new int[query.Count * block];
        var top = new TopK(k, MultiCodeDistance.MaxDistance(query.Count, Bits, matching));
        for (int first = 0, last; first < keys.Length; first = last)
        {
            // The whole patches whose codes fit one block: every query code's distances to them, then each patch's rule.
            int from = starts[first];
            for (last = first + 1; last < keys.Length && starts[last + 1] - from <= block; last++) { }
            int count = starts[last] - from;
            for (int q = 0; q < query.Count; q++)
                HammingDistances.Compute(codes.Slice(from * Words, count * Words), queryWords.AsSpan(q * Words, Words), distances.AsSpan(q * block, count));
            for (int p = first; p < last; p++)
            {
                int begin = starts[p] - from, end = starts[p + 1] - from;
                int combined = nearestPair ? int.MaxValue : 0;
                for (int q = 0; q < query.Count; q++)
                {
                    var own = distances.AsSpan(q * block + begin, end - begin);
                    int nearest = own[0];
                    for (int c = 1; c < own.Length; c++) nearest = Math.Min(nearest, own[c]);
                    combined = nearestPair ? Math.Min(combined, nearest) : combined + nearest;
                }
                top.Offer(keys[p], combined);
            }
        }
        return top.ToSortedList();
    }
}
