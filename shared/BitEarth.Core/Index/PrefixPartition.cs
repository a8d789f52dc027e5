namespace BitEarth.Core.Index;

/// <summary>
/// Bulk-load sort: keys and packed codes reordered by the low <c>prefixBits</c> bits of each code's first word
/// (stable within a prefix), into exactly-sized arrays with no growth copies. A counting pass gives every shard its
/// range. Up to <see cref="SinglePassBits"/> prefix bits, one scatter pass writes each code to its place directly;
/// beyond that, scattering into 2^16 places at once misses cache and TLB on every write, so a first pass scatters
/// by the high half of the prefix into cache-friendly groups, and a second pass sorts each group (a range of
/// consecutive shards, small enough to stay in cache) through a per-thread scratch buffer. Both passes split the
/// codes over threads; each thread writes to its own precomputed offsets, so the result does not depend on them.
/// </summary>
internal static class PrefixPartition
{
    private const int SinglePassBits = 10;
    // Below this many codes per thread, threads cost more than they save.
    private const int CodesPerThread = 1 << 18;

    /// <summary>The sorted keys and codes, and where each prefix's range starts (with the total count appended).</summary>
    public static unsafe (long[] Keys, ulong[] Codes, int[] Starts) Sort(ReadOnlySpan<long> keys, ReadOnlySpan<ulong> codes, int words, int prefixBits)
    {
        int n = keys.Length;
        int threads = Math.Clamp(n / CodesPerThread, 1, Environment.ProcessorCount);
        var sortedKeys = GC.AllocateUninitializedArray<long>(n);
        var sortedCodes = GC.AllocateUninitializedArray<ulong>(codes.Length);
        fixed (long* keysPointer = keys)
        fixed (ulong* codesPointer = codes)
        {
            // Spans cannot cross into the thread delegates; the pinned addresses can.
            var input = new Input((nint)keysPointer, (nint)codesPointer, n, words);
            var counts = CountPrefixes(input, threads, prefixBits);
            var starts = new int[(1 << prefixBits) + 1];
            for (int p = 0; p < 1 << prefixBits; p++)
            {
                int total = 0;
                for (int t = 0; t < threads; t++) total += counts[t][p];
                starts[p + 1] = starts[p] + total;
            }
            int lowBits = prefixBits <= SinglePassBits ? 0 : prefixBits / 2;
            ScatterByGroup(input, counts, starts, lowBits, prefixBits, sortedKeys, sortedCodes);
            if (lowBits > 0) SortWithinGroups(starts, lowBits, prefixBits, words, threads, sortedKeys, sortedCodes);
            return (sortedKeys, sortedCodes, starts);
        }
    }

    private readonly record struct Input(nint Keys, nint Codes, int Count, int Words)
    {
        public unsafe ReadOnlySpan<long> KeySpan(int from, int to) => new((long*)Keys + from, to - from);

        public unsafe ReadOnlySpan<ulong> CodeSpan(int from, int to) => new((ulong*)Codes + (long)from * Words, (to - from) * Words);

        public int ChunkStart(int chunk, int chunks) => (int)((long)Count * chunk / chunks);
    }

    private static int[][] CountPrefixes(Input input, int threads, int prefixBits)
    {
        var counts = new int[threads][];
        ulong mask = (1UL << prefixBits) - 1;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var count = counts[t] = new int[1 << prefixBits];
            var codes = input.CodeSpan(input.ChunkStart(t, threads), input.ChunkStart(t + 1, threads));
            for (int o = 0; o < codes.Length; o += input.Words) count[(int)(codes[o] & mask)]++;
        });
        return counts;
    }

    // Pass 1: every thread scatters its chunk by group (prefix >> lowBits) to offsets after the earlier chunks'.
    private static void ScatterByGroup(Input input, int[][] counts, int[] starts, int lowBits, int prefixBits, long[] keys, ulong[] codes)
    {
        int threads = counts.Length;
        int groups = 1 << (prefixBits - lowBits);
        var offsets = new int[threads][];
        for (int g = 0; g < groups; g++)
        {
            int next = starts[g << lowBits];
            for (int t = 0; t < threads; t++)
            {
                offsets[t] ??= new int[groups];
                offsets[t][g] = next;
                for (int p = g << lowBits; p < (g + 1) << lowBits; p++) next += counts[t][p];
            }
        }
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            int from = input.ChunkStart(t, threads), to = input.ChunkStart(t + 1, threads);
            Scatter(input.KeySpan(from, to), input.CodeSpan(from, to), input.Words, lowBits, groups - 1, offsets[t], keys, codes);
        });
    }

    // Pass 2: each group, a range of consecutive shards, is scattered by its low prefix bits into scratch and copied
    // back. Each worker allocates its scratch once (fresh pages are costly) and takes groups until none are left.
    private static void SortWithinGroups(int[] starts, int lowBits, int prefixBits, int words, int threads, long[] keys, ulong[] codes)
    {
        int groups = 1 << (prefixBits - lowBits);
        int largest = 0;
        for (int g = 0; g < groups; g++) largest = Math.Max(largest, starts[(g + 1) << lowBits] - starts[g << lowBits]);
        int taken = -1;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
        {
            var scratchKeys = GC.AllocateUninitializedArray<long>(largest);
            var scratchCodes = GC.AllocateUninitializedArray<ulong>(largest * words);
            var offsets = new int[1 << lowBits];
            for (int g; (g = Interlocked.Increment(ref taken)) < groups;)
            {
                int first = g << lowBits;
                int from = starts[first], to = starts[first + (1 << lowBits)];
                if (to - from < 2) continue;
                for (int p = 0; p < offsets.Length; p++) offsets[p] = starts[first + p] - from;
                var groupKeys = keys.AsSpan(from, to - from);
                var groupCodes = codes.AsSpan(from * words, (to - from) * words);
                Scatter(groupKeys, groupCodes, words, 0, offsets.Length - 1, offsets, scratchKeys, scratchCodes);
                scratchKeys.AsSpan(0, groupKeys.Length).CopyTo(groupKeys);
                scratchCodes.AsSpan(0, groupCodes.Length).CopyTo(groupCodes);
            }
        });
    }

    /// <summary>Stable scatter of each code to <c>next[(code[0] &gt;&gt; shift) &amp; mask]++</c>.</summary>
    private static void Scatter(ReadOnlySpan<long> keys, ReadOnlySpan<ulong> codes, int words, int shift, int mask,
        Span<int> next, Span<long> toKeys, Span<ulong> toCodes)
    {
        switch (words)
        {
            case 1:
                for (int i = 0; i < keys.Length; i++)
                {
                    ulong code = codes[i];
                    int slot = next[(int)(code >> shift) & mask]++;
                    toKeys[slot] = keys[i];
                    toCodes[slot] = code;
                }
                break;
            case 2:
                for (int i = 0, o = 0; i < keys.Length; i++, o += 2)
                {
                    int slot = next[(int)(codes[o] >> shift) & mask]++;
                    toKeys[slot] = keys[i];
                    toCodes[2 * slot] = codes[o];
                    toCodes[2 * slot + 1] = codes[o + 1];
                }
                break;
            default:
                for (int i = 0, o = 0; i < keys.Length; i++, o += words)
                {
                    int slot = next[(int)(codes[o] >> shift) & mask]++;
                    toKeys[slot] = keys[i];
                    for (int w = 0, s = slot * words; w < words; w++) toCodes[s + w] = codes[o + w];
                }
                break;
        }
    }
}
