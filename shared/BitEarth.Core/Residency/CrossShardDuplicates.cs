namespace BitEarth.Core.Residency;

/// <summary>
/// Keys held by more than one shard of a modality: a patch re-hashed to another prefix keeps its old record, as codes
/// are never deleted. Keys are uniform 63-bit hashes, ascending within each shard, and duplicates are rare. So the key
/// space is walked in ranges holding about one key per 64 bits of a 32 KiB bitmap: one pass over each shard's keys of a
/// range sets a bit per key and marks the bits found set already; only keys on marked bits (a percent or two by
/// chance, plus the duplicates) are sorted and compared exactly. The bitmaps stay in cache whatever the shard sizes,
/// and nothing is allocated per key.
/// </summary>
internal static class CrossShardDuplicates
{
    private const int BitmapBitsLog2 = 18; // 32 KiB
    private const int BitsPerKeyLog2 = 6;

    /// <summary>Each key found in two or more of <paramref name="shards"/>, ascending, with those shards' indices, ascending.</summary>
    public static List<(long Key, int[] Shards)> Find(IReadOnlyList<ResidentShard> shards)
    {
        long total = 0;
        foreach (var shard in shards) total += shard.Count;
        var duplicates = new List<(long Key, int[] Shards)>();
        if (total == 0) return duplicates;

        long ranges = Math.Max(1, total << BitsPerKeyLog2 >> BitmapBitsLog2);
        int rangeBits = Math.Min(64 - (int)long.LeadingZeroCount(ranges - 1), 63 - BitmapBitsLog2);
        int rangeShift = 63 - rangeBits, bitShift = rangeShift - BitmapBitsLog2;
        const long bitMask = (1L << BitmapBitsLog2) - 1;
        var seen = new ulong[1 << (BitmapBitsLog2 - 6)];
        var marked = new ulong[seen.Length];
        var cursors = new int[shards.Count];
        var ends = new int[shards.Count];
        var candidates = new List<(long Key, int Shard)>();
        for (long range = 0; range < 1L << rangeBits; range++)
        {
            long last = range << rangeShift | ((1L << rangeShift) - 1); // rangeShift 63: the whole non-negative space
            ulong collided = 0;
            for (int s = 0; s < shards.Count; s++)
            {
                var keys = shards[s].Keys;
                int i = cursors[s];
                for (; i < keys.Length && keys[i] <= last; i++)
                {
                    long bit = (keys[i] >> bitShift) & bitMask;
                    ulong mask = 1UL << (int)bit;
                    ref ulong word = ref seen[bit >> 6];
                    ulong twice = word & mask;
                    marked[bit >> 6] |= twice;
                    collided |= twice;
                    word |= mask;
                }
                ends[s] = i;
            }
            if (collided != 0)
            {
                candidates.Clear();
                for (int s = 0; s < shards.Count; s++)
                {
                    var keys = shards[s].Keys;
                    for (int i = cursors[s]; i < ends[s]; i++)
                    {
                        long bit = (keys[i] >> bitShift) & bitMask;
                        if ((marked[bit >> 6] & 1UL << (int)bit) != 0) candidates.Add((keys[i], s));
                    }
                }
                candidates.Sort();
                for (int i = 0; i < candidates.Count;)
                {
                    int j = i + 1;
                    while (j < candidates.Count && candidates[j].Key == candidates[i].Key) j++;
                    if (j - i > 1)
                    {
                        var owners = new int[j - i];
                        for (int o = 0; o < owners.Length; o++) owners[o] = candidates[i + o].Shard;
                        duplicates.Add((candidates[i].Key, owners));
                    }
                    i = j;
                }
                Array.Clear(marked);
            }
            Array.Clear(seen);
            ends.CopyTo(cursors, 0);
        }
        return duplicates;
    }
}
