using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;

namespace BitEarth.Core.Index;

/// <summary>
/// Patches described by several codes each (multi-code hashing), searched exactly under a <see cref="MultiCodeMatching"/>
/// rule. Codes are packed in one array with each patch's codes side by side, so a query streams them once: for every
/// patch, each query code's nearest patch code is found, the rule combines them, and a <see cref="TopK"/> over the
/// rule's integer range keeps the k best (ties by key). A full scan, so exact by construction; query cost is
/// (query codes) x (codes held).
/// </summary>
public sealed class MultiCodeIndex
{
    private readonly List<ulong> _codes = [];
    private readonly List<long> _keys = [];
    private readonly List<int> _starts = [0];

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
    }

    /// <summary>The k patches nearest to the query's code set under <paramref name="matching"/>, by distance then key.</summary>
    public List<Hit> Search(IReadOnlyList<HammingCode> query, int k, MultiCodeMatching matching)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Count == 0) throw new ArgumentException("A query needs at least one code.", nameof(query));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (query.Any(q => q.Bits != Bits)) throw new ArgumentException($"Query codes must have {Bits} bits.", nameof(query));
        var queryWords = query.SelectMany(q => q.Words.ToArray()).ToArray();
        var codes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_codes);
        var top = new TopK(k, MultiCodeDistance.MaxDistance(query.Count, Bits, matching));
        for (int p = 0; p < _keys.Count; p++)
        {
            var own = codes[(_starts[p] * Words)..(_starts[p + 1] * Words)];
            int combined = matching == MultiCodeMatching.NearestPair ? int.MaxValue : 0;
            for (int q = 0; q < query.Count; q++)
            {
                var code = queryWords.AsSpan(q * Words, Words);
                int nearest = int.MaxValue;
                for (int at = 0; at < own.Length && nearest > 0; at += Words)
                    nearest = Math.Min(nearest, MultiCodeDistance.Hamming(code, own.Slice(at, Words)));
                combined = matching == MultiCodeMatching.NearestPair ? Math.Min(combined, nearest) : combined + nearest;
            }
            top.Offer(_keys[p], combined);
        }
        return top.ToSortedList();
    }
}
