using BitEarth.Core.Codes;
using BitEarth.Core.Index;

namespace BitEarth.Core.Tests.Index;

/// <summary>Test data: uniform codes, clustered codes (prototypes with a few bit flips, as learned codes look), brute force.</summary>
internal static class Codes
{
    public static HammingCode Uniform(Random random, int bits)
    {
        var words = new ulong[HammingCode.WordCount(bits)];
        for (int w = 0; w < words.Length; w++) words[w] = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
        if (bits % 64 != 0) words[^1] &= (1UL << (bits % 64)) - 1;
        return new HammingCode(bits, words);
    }

    public static HammingCode Flipped(Random random, HammingCode prototype, int flips)
    {
        var words = prototype.Words.ToArray();
        for (int f = 0; f < flips; f++)
        {
            int bit = random.Next(prototype.Bits);
            words[bit >> 6] ^= 1UL << (bit & 63);
        }
        return new HammingCode(prototype.Bits, words);
    }

    /// <summary>n keyed codes; clustered ones come from a few prototypes, and some repeat exactly so distances tie.</summary>
    public static List<(long Key, HammingCode Code)> Make(Random random, int bits, int n, bool clustered)
    {
        var prototypes = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => Uniform(random, bits)).ToList();
        var items = new List<(long, HammingCode)>(n);
        var keys = new HashSet<long>();
        while (items.Count < n)
        {
            long key = random.NextInt64(0, 4L * n + 8);
            if (!keys.Add(key)) continue;
            var code = clustered ? Flipped(random, prototypes[random.Next(prototypes.Count)], random.Next(bits / 8)) : Uniform(random, bits);
            items.Add((key, code));
        }
        return items;
    }

    public static HammingCode Query(Random random, List<(long Key, HammingCode Code)> items, int bits) =>
        items.Count > 0 && random.Next(2) == 0 ? Flipped(random, items[random.Next(items.Count)].Code, random.Next(4)) : Uniform(random, bits);

    public static List<Hit> BruteForce(IEnumerable<(long Key, HammingCode Code)> items, HammingCode query, int k) =>
        items.Select(i => new Hit(i.Key, i.Code.DistanceTo(query))).Order().Take(k).ToList();

    public static long[] Keys(List<(long Key, HammingCode Code)> items) => items.Select(i => i.Key).ToArray();

    /// <summary>The items' codes back to back, as the indexes' bulk loads take them.</summary>
    public static ulong[] Packed(int bits, List<(long Key, HammingCode Code)> items)
    {
        int words = HammingCode.WordCount(bits);
        var packed = new ulong[items.Count * words];
        for (int i = 0; i < items.Count; i++) items[i].Code.Words.CopyTo(packed.AsSpan(i * words));
        return packed;
    }

    public static ShardedHammingIndex Build(int bits, int prefixBits, List<(long Key, HammingCode Code)> items, bool bulk)
    {
        var index = new ShardedHammingIndex(bits, prefixBits);
        if (bulk) index.Load(Keys(items), Packed(bits, items));
        else foreach (var (key, code) in items) index.Upsert(key, code);
        return index;
    }

    public static MultiIndexHashing MultiIndex(int bits, List<(long Key, HammingCode Code)> items, int? substrings, bool scanWhenCheaper = true) =>
        new MultiIndexHashing(bits, Keys(items), Packed(bits, items), substrings, scanWhenCheaper);

    public static ClusteredHammingIndex Clustered(int bits, List<(long Key, HammingCode Code)> items, int? lists) =>
        new ClusteredHammingIndex(bits, Keys(items), Packed(bits, items), lists);

    /// <summary>A bit-sliced index scanning with <paramref name="kernel"/> (the CPU's best by default), bulk-loaded or upserted.</summary>
    public static BitSlicedHammingIndex BitSliced(int bits, List<(long Key, HammingCode Code)> items, bool bulk, BitSlicedScan.Kernel? kernel = null)
    {
        var index = new BitSlicedHammingIndex(bits, kernel ?? BitSlicedScan.Best);
        if (bulk) index.Load(Keys(items), Packed(bits, items));
        else foreach (var (key, code) in items) index.Upsert(key, code);
        return index;
    }

    /// <summary>One query through <see cref="IBinaryIndex.SearchMany"/>.</summary>
    public static SearchResult Search(this IBinaryIndex index, HammingCode query, int k) => index.SearchMany([query], k, new SearchOptions { MaxThreads = 1 })[0];
}
