using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>
/// Exact Hamming top-k by an exhaustive scan over bit-sliced codes: blocks of 512 codes, each stored as one plane per
/// bit position (plane j holds bit j of the block's codes, 8 words), keys in a parallel array. The kernel
/// (<see cref="BitSlicedScan"/>) adds planes with vector logic instead of counting bits code by code, which .NET can
/// only do by table lookups. The same memory as packed rows: bits/8 bytes and a key per code, plus the last block's
/// unused slots. Slots are dense: an upsert appends into the next slot, a removal moves the last code into the freed
/// one; the key-to-slot map is built on the first mutation, so a bulk load carries none.
/// Searches may run concurrently; mutations need exclusive access.
/// </summary>
public sealed class BitSlicedHammingIndex : IBinaryIndex
{
    // Queries counted together over each L1-sized visit of blocks: the codes stream from memory once per group and
    // |x| is counted once per block for the whole group (10^6 64-bit codes, 100 queries, 1 thread, loaded machine:
    // 0.14 ms CPU a query in one group of 100, 0.16 in groups of 64, 0.27 in groups of 16).
    private const int QueryGroup = 128;

    private readonly int _words;
    private readonly int _blockWords;
    private readonly BitSlicedScan.Kernel _kernel;
    private ulong[] _planes = [];
    private long[] _keys = [];
    private KeyDirectory? _directory;

    public BitSlicedHammingIndex(int bits) : this(bits, BitSlicedScan.Best)
    {
    }

    /// <summary>An index that scans with <paramref name="kernel"/> (which the CPU must support), so tests can check each path.</summary>
    internal BitSlicedHammingIndex(int bits, BitSlicedScan.Kernel kernel)
    {
        HammingCode.ValidateBits(bits);
        if (!BitSlicedScan.IsSupported(kernel)) throw new PlatformNotSupportedException($"This CPU cannot run the {kernel} kernel.");
        Bits = bits;
        _words = HammingCode.WordCount(bits);
        _blockWords = bits * BitSlicedScan.PlaneWords;
        _kernel = kernel;
    }

    public int Bits { get; }

    public int Count { get; private set; }

    public long MemoryBytes => ((long)_planes.Length + _keys.Length) * sizeof(ulong) + (_directory?.MemoryBytes ?? 0);

    /// <summary>
    /// Bulk load into an empty index from packed arrays: <paramref name="codes"/> holds the words of code i at
    /// [i*W, (i+1)*W) with W = ceil(bits/64). Keys must be distinct (a duplicate is reported on the first mutation).
    /// </summary>
    public void Load(ReadOnlySpan<long> keys, ReadOnlySpan<ulong> codes)
    {
        if (Count != 0) throw new InvalidOperationException("Bulk load needs an empty index.");
        if (codes.Length != (long)keys.Length * _words)
            throw new ArgumentException($"{keys.Length} keys need {(long)keys.Length * _words} code words, got {codes.Length}.", nameof(codes));
        if (Bits % 64 != 0)
        {
            ulong beyond = ~0UL << (Bits % 64);
            for (int i = _words - 1; i < codes.Length; i += _words)
                if ((codes[i] & beyond) != 0) throw new ArgumentException($"Code {i / _words} has bits set beyond its {Bits} bits.", nameof(codes));
        }
        int blocks = (keys.Length + BitSlicedScan.BlockCodes - 1) / BitSlicedScan.BlockCodes;
        _keys = new long[(long)blocks * BitSlicedScan.BlockCodes];
        keys.CopyTo(_keys);
        _planes = new ulong[(long)blocks * _blockWords];
        Transpose(codes, keys.Length);
        Count = keys.Length;
    }

    /// <summary>Adds or replaces the code of <paramref name="key"/>; calling it twice with the same pair is a no-op.</summary>
    public void Upsert(long key, HammingCode code)
    {
        if (code.Bits != Bits) throw new ArgumentException($"Index holds {Bits}-bit codes, got {code.Bits}.", nameof(code));
        var directory = Directory();
        if (directory.TryGet(key, out _, out int slot))
        {
            Write(slot, code.Words);
            return;
        }
        if (Count == _keys.Length) Grow();
        slot = Count++;
        _keys[slot] = key;
        Write(slot, code.Words);
        directory.Set(key, 0, slot);
    }

    public bool Remove(long key)
    {
        var directory = Directory();
        if (!directory.TryGet(key, out _, out int slot)) return false;
        int last = --Count;
        if (slot != last)
        {
            Span<ulong> moved = stackalloc ulong[_words];
            Read(last, moved);
            Write(slot, moved);
            _keys[slot] = _keys[last];
            directory.Set(_keys[slot], 0, slot);
        }
        directory.Remove(key);
        return true;
    }

    /// <summary>The code held in <paramref name="slot"/> (0..Count), read back out of the planes.</summary>
    internal HammingCode CodeAt(int slot)
    {
        var words = new ulong[_words];
        Read(slot, words);
        return new HammingCode(Bits, words);
    }

    /// <summary>Exact top-k of one query (ties by key).</summary>
    public SearchResult Search(HammingCode query, int k) => SearchMany([query], k, new SearchOptions { MaxThreads = 1 })[0];

    /// <summary>
    /// Exact top-k for each query, spread over threads; results are in query order. Every code is counted (the kernel
    /// has nothing to prune by, so <see cref="SearchOptions.Prune"/> changes nothing); <see cref="SearchResult.ShardsVisited"/>
    /// counts the blocks.
    /// </summary>
    public SearchResult[] SearchMany(IReadOnlyList<HammingCode> queries, int k, SearchOptions? options = null)
    {
        options = SearchArguments.Options(options);
        SearchArguments.Queries(Bits, queries, k);
        var results = new SearchResult[queries.Count];
        // Groups as large as QueryGroup, but small enough that every thread gets one.
        int group = Math.Clamp((queries.Count + options.MaxThreads - 1) / options.MaxThreads, 1, QueryGroup);
        int groups = (queries.Count + group - 1) / group;
        int blocks = (Count + BitSlicedScan.BlockCodes - 1) / BitSlicedScan.BlockCodes;
        Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = options.MaxThreads }, g =>
        {
            int first = g * group;
            int count = Math.Min(group, queries.Count - first);
            var tops = new TopK[count];
            var words = new ulong[count * _words];
            for (int q = 0; q < count; q++)
            {
                tops[q] = new TopK(k, Bits);
                queries[first + q].Words.CopyTo(words.AsSpan(q * _words));
            }
            BitSlicedScan.Scan(_planes, _keys, Count, Bits, words, tops, _kernel);
            for (int q = 0; q < count; q++) results[first + q] = new SearchResult(tops[q].ToSortedList(), blocks, Count);
        });
        return results;
    }

    // Each 64 codes of a block and each word of their codes form a 64 x 64 bit matrix whose transpose is 64 plane words.
    private void Transpose(ReadOnlySpan<ulong> codes, int count)
    {
        Span<ulong> square = stackalloc ulong[64];
        for (int from = 0; from < count; from += 64)
        {
            int n = Math.Min(64, count - from);
            int block = from / BitSlicedScan.BlockCodes, lane = from % BitSlicedScan.BlockCodes / 64;
            for (int w = 0; w < _words; w++)
            {
                square.Clear();
                for (int i = 0; i < n; i++) square[i] = codes[(from + i) * _words + w];
                TransposeSquare(square);
                for (int j = w * 64; j < Math.Min(Bits, w * 64 + 64); j++)
                    _planes[(long)block * _blockWords + j * BitSlicedScan.PlaneWords + lane] = square[j - w * 64];
            }
        }
    }

    /// <summary>In place: afterwards bit i of row j is what bit j of row i was (rows are words, bit 0 lowest).</summary>
    internal static void TransposeSquare(Span<ulong> rows)
    {
        // Swap the off-diagonal blocks of size 32, then of 16 inside each quadrant, and so on down to single bits.
        ulong mask = 0x0000_0000_FFFF_FFFFUL;
        for (int size = 32; size != 0; size >>= 1, mask ^= mask << size)
        {
            for (int row = 0; row < 64; row = (row | size) + 1 & ~size)
            {
                ulong swap = (rows[row] >> size ^ rows[row | size]) & mask;
                rows[row] ^= swap << size;
                rows[row | size] ^= swap;
            }
        }
    }

    private void Write(int slot, ReadOnlySpan<ulong> code)
    {
        long at = PlaneWordOf(slot);
        int bit = slot % 64;
        for (int j = 0; j < Bits; j++, at += BitSlicedScan.PlaneWords)
        {
            ulong value = code[j >> 6] >> (j & 63) & 1;
            _planes[at] = _planes[at] & ~(1UL << bit) | value << bit;
        }
    }

    private void Read(int slot, Span<ulong> code)
    {
        code.Clear();
        long at = PlaneWordOf(slot);
        int bit = slot % 64;
        for (int j = 0; j < Bits; j++, at += BitSlicedScan.PlaneWords)
            code[j >> 6] |= (_planes[at] >> bit & 1) << (j & 63);
    }

    // The word of plane 0 that holds the slot's bit.
    private long PlaneWordOf(int slot) =>
        (long)(slot / BitSlicedScan.BlockCodes) * _blockWords + slot % BitSlicedScan.BlockCodes / 64;

    // Doubles the blocks (at least one).
    private void Grow()
    {
        int blocks = Math.Max(1, 2 * (_keys.Length / BitSlicedScan.BlockCodes));
        Array.Resize(ref _keys, blocks * BitSlicedScan.BlockCodes);
        Array.Resize(ref _planes, blocks * _blockWords);
    }

    private KeyDirectory Directory()
    {
        if (_directory is { } built) return built;
        var directory = new KeyDirectory(Count);
        for (int slot = 0; slot < Count; slot++)
            if (!directory.Set(_keys[slot], 0, slot))
                throw new InvalidDataException($"Key {_keys[slot]} was loaded more than once.");
        return _directory = directory;
    }
}
