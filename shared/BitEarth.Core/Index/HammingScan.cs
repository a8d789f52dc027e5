using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BitEarth.Core.Index;

/// <summary>
/// The scan kernel: XOR + popcount of one query against packed codes, offering to a <see cref="TopK"/> only the codes
/// that can still enter it. 64-, 128- and 256-bit codes take a Vector512 or Vector256 path: a nibble-table popcount
/// and a sum of absolute differences give a count per 64-bit word (.NET 10 exposes no AVX-512 VPOPCNTQ), the 2 or 4
/// word counts of a code are added across lanes, and one compare against the current k-th distance filters a whole
/// vector of codes. Other widths and the tail take scalar popcount. As in TensorPrimitives, the loop is written once per
/// vector width (<see cref="ScanVector512{TWidth}"/>, <see cref="ScanVector256{TWidth}"/>) over a struct per code width
/// (<see cref="ICodeWidth"/>) that the JIT specialises and inlines.
/// </summary>
internal static class HammingScan
{
    internal enum Kernel { Scalar, Vector256, Vector512 }

    /// <summary>The widest kernel this CPU runs.</summary>
    internal static readonly Kernel Best =
        Avx512BW.IsSupported && Vector512.IsHardwareAccelerated ? Kernel.Vector512 : Avx2.IsSupported ? Kernel.Vector256 : Kernel.Scalar;

    public static void Scan(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> query, TopK top) =>
        Scan(codes, keys, query, top, Best);

    /// <summary>Scans with <paramref name="kernel"/> (which the CPU must support), so tests can check each path.</summary>
    internal static void Scan(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> query, TopK top, Kernel kernel)
    {
        int done = (kernel, query.Length) switch
        {
            (Kernel.Vector512, 1) => ScanVector512<Code64>(codes, keys, query, top),
            (Kernel.Vector512, 2) => ScanVector512<Code128>(codes, keys, query, top),
            (Kernel.Vector512, 4) => ScanVector512<Code256>(codes, keys, query, top),
            (Kernel.Vector256, 1) => ScanVector256<Code64>(codes, keys, query, top),
            (Kernel.Vector256, 2) => ScanVector256<Code128>(codes, keys, query, top),
            (Kernel.Vector256, 4) => ScanVector256<Code256>(codes, keys, query, top),
            _ => 0,
        };
        ScanScalar(codes[(done * query.Length)..], keys[done..], query, top);
    }

    /// <summary>
    /// The nearest of packed <paramref name="centroids"/> to <paramref name="code"/> and its distance; ties go to the
    /// lower index. Vector steps compare a whole vector of distances against the best so far and only look at lanes
    /// when one is strictly nearer.
    /// </summary>
    public static (int Index, int Distance) Nearest(ReadOnlySpan<ulong> centroids, ReadOnlySpan<ulong> code) =>
        Nearest(centroids, code, Best);

    internal static (int Index, int Distance) Nearest(ReadOnlySpan<ulong> centroids, ReadOnlySpan<ulong> code, Kernel kernel)
    {
        var best = (Index: -1, Distance: int.MaxValue);
        int done = (kernel, code.Length) switch
        {
            (Kernel.Vector512, 1) => NearestVector512<Code64>(centroids, code, ref best),
            (Kernel.Vector512, 2) => NearestVector512<Code128>(centroids, code, ref best),
            (Kernel.Vector512, 4) => NearestVector512<Code256>(centroids, code, ref best),
            _ => 0,
        };
        int words = code.Length;
        for (int i = done, o = done * words; o < centroids.Length; i++, o += words)
        {
            int d = 0;
            for (int w = 0; w < words; w++) d += BitOperations.PopCount(centroids[o + w] ^ code[w]);
            if (d < best.Distance) best = (i, d);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int NearestVector512<TWidth>(ReadOnlySpan<ulong> centroids, ReadOnlySpan<ulong> code, ref (int Index, int Distance) best)
        where TWidth : struct, ICodeWidth
    {
        ref ulong start = ref MemoryMarshal.GetReference(centroids);
        var table = Vector512.Create(NibbleCounts512());
        var query = TWidth.Query512(code);
        var bound = Vector512.Create((ulong)best.Distance);
        Span<ulong> lanes = stackalloc ulong[Vector512<ulong>.Count];
        int i = 0;
        for (; i <= centroids.Length - TWidth.WordsPerStep512; i += TWidth.WordsPerStep512)
        {
            var distances = TWidth.Distances(ref start, (nuint)i, query, table);
            ulong nearer = Vector512.LessThan(distances, bound).ExtractMostSignificantBits() & TWidth.Lanes512;
            if (nearer == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            int first = i >> TWidth.WordShift;
            for (; nearer != 0; nearer &= nearer - 1)
            {
                int lane = BitOperations.TrailingZeroCount(nearer);
                int index = first + (lane >> TWidth.WordShift) + (lane & 1) * TWidth.OddLaneOffset512;
                int d = (int)lanes[lane];
                if (d < best.Distance || (d == best.Distance && index < best.Index)) best = (index, d);
            }
            bound = Vector512.Create((ulong)best.Distance);
        }
        return i >> TWidth.WordShift;
    }

    internal static bool IsSupported(Kernel kernel) => kernel switch
    {
        Kernel.Vector512 => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated,
        Kernel.Vector256 => Avx2.IsSupported,
        _ => true,
    };

    /// <summary>
    /// The part of a vector step that depends on the code width: the query laid out over a vector, the distances of
    /// the codes in one step, which lanes hold a code's distance, and how many words a step consumes. Lane l of a
    /// step starting at code c belongs to code c + (l &gt;&gt; WordShift), plus OddLaneOffset512 for odd lanes of a 512-bit step.
    /// </summary>
    private interface ICodeWidth
    {
        /// <summary>log2 of the words per code.</summary>
        static abstract int WordShift { get; }

        static abstract int WordsPerStep512 { get; }

        /// <summary>Nonzero where a 512-bit step's odd lanes hold codes of its second vector.</summary>
        static abstract int OddLaneOffset512 { get; }

        static abstract ulong Lanes512 { get; }

        static abstract ulong Lanes256 { get; }

        static abstract Vector512<ulong> Query512(ReadOnlySpan<ulong> q);

        static abstract Vector256<ulong> Query256(ReadOnlySpan<ulong> q);

        static abstract Vector512<ulong> Distances(ref ulong codes, nuint at, Vector512<ulong> query, Vector512<byte> table);

        static abstract Vector256<ulong> Distances(ref ulong codes, nuint at, Vector256<ulong> query, Vector256<byte> table);
    }

    private readonly struct Code64 : ICodeWidth
    {
        public static int WordShift => 0;
        public static int WordsPerStep512 => Vector512<ulong>.Count;
        public static int OddLaneOffset512 => 0;
        public static ulong Lanes512 => 0xFF;
        public static ulong Lanes256 => 0xF;

        public static Vector512<ulong> Query512(ReadOnlySpan<ulong> q) => Vector512.Create(q[0]);

        public static Vector256<ulong> Query256(ReadOnlySpan<ulong> q) => Vector256.Create(q[0]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Distances(ref ulong codes, nuint at, Vector512<ulong> query, Vector512<byte> table) =>
            WordCounts(Vector512.LoadUnsafe(ref codes, at) ^ query, table);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Distances(ref ulong codes, nuint at, Vector256<ulong> query, Vector256<byte> table) =>
            WordCounts(Vector256.LoadUnsafe(ref codes, at) ^ query, table);
    }

    // Vector512: two vectors (8 codes) per step; interleaving their word counts adds each code's two words in one
    // pass and fills all 8 lanes, lane 2j with code j of the first vector and lane 2j+1 with code j of the second.
    // Vector256: one vector (2 codes); each word count is added to its neighbour, lanes 0 and 2 hold the codes.
    private readonly struct Code128 : ICodeWidth
    {
        public static int WordShift => 1;
        public static int WordsPerStep512 => 2 * Vector512<ulong>.Count;
        public static int OddLaneOffset512 => 4;
        public static ulong Lanes512 => 0xFF;
        public static ulong Lanes256 => 0b0101;

        public static Vector512<ulong> Query512(ReadOnlySpan<ulong> q) => Vector512.Create(q[0], q[1], q[0], q[1], q[0], q[1], q[0], q[1]);

        public static Vector256<ulong> Query256(ReadOnlySpan<ulong> q) => Vector256.Create(q[0], q[1], q[0], q[1]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Distances(ref ulong codes, nuint at, Vector512<ulong> query, Vector512<byte> table)
        {
            var a = WordCounts(Vector512.LoadUnsafe(ref codes, at) ^ query, table);
            var b = WordCounts(Vector512.LoadUnsafe(ref codes, at + (nuint)Vector512<ulong>.Count) ^ query, table);
            return Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Distances(ref ulong codes, nuint at, Vector256<ulong> query, Vector256<byte> table)
        {
            var words = WordCounts(Vector256.LoadUnsafe(ref codes, at) ^ query, table);
            return words + Avx2.Shuffle(words.AsUInt32(), 0b01_00_11_10).AsUInt64();
        }
    }

    // Vector512: two vectors (4 codes) per step; interleaving adds word pairs, then neighbouring 128-bit lanes are
    // added; lanes 0, 1, 4, 5 hold codes 0 and 2 (first vector's, second's) and 1 and 3.
    // Vector256: one vector (1 code); word pairs, then the two 128-bit halves, are added into lane 0.
    private readonly struct Code256 : ICodeWidth
    {
        public static int WordShift => 2;
        public static int WordsPerStep512 => 2 * Vector512<ulong>.Count;
        public static int OddLaneOffset512 => 2;
        public static ulong Lanes512 => 0b0011_0011;
        public static ulong Lanes256 => 0b0001;

        public static Vector512<ulong> Query512(ReadOnlySpan<ulong> q) => Vector512.Create(q[0], q[1], q[2], q[3], q[0], q[1], q[2], q[3]);

        public static Vector256<ulong> Query256(ReadOnlySpan<ulong> q) => Vector256.Create(q[0], q[1], q[2], q[3]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<ulong> Distances(ref ulong codes, nuint at, Vector512<ulong> query, Vector512<byte> table)
        {
            var pairs = Code128.Distances(ref codes, at, query, table);
            return pairs + Avx512F.Shuffle4x128(pairs, pairs, 0b10_11_00_01);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<ulong> Distances(ref ulong codes, nuint at, Vector256<ulong> query, Vector256<byte> table)
        {
            var pairs = Code128.Distances(ref codes, at, query, table);
            return pairs + Avx2.Permute4x64(pairs, 0b01_00_11_10);
        }
    }

    // Each vector driver returns how many codes it scanned: all but a tail shorter than one step.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanVector512<TWidth>(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> q, TopK top)
        where TWidth : struct, ICodeWidth
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector512.Create(NibbleCounts512());
        var query = TWidth.Query512(q);
        var worst = Vector512.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector512<ulong>.Count];
        int step = TWidth.WordsPerStep512, i = 0;
        // Two steps per iteration with one branch on both masks: the steps' work overlaps, and a pass rarely hits.
        for (; i <= codes.Length - 2 * step; i += 2 * step)
        {
            var first = TWidth.Distances(ref start, (nuint)i, query, table);
            var second = TWidth.Distances(ref start, (nuint)(i + step), query, table);
            ulong firstHits = Vector512.LessThanOrEqual(first, worst).ExtractMostSignificantBits() & TWidth.Lanes512;
            ulong secondHits = Vector512.LessThanOrEqual(second, worst).ExtractMostSignificantBits() & TWidth.Lanes512;
            if ((firstHits | secondHits) == 0) continue;
            if (firstHits != 0)
            {
                first.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
                worst = Vector512.Create((ulong)OfferHits(firstHits, i >> TWidth.WordShift, TWidth.WordShift, TWidth.OddLaneOffset512, keys, lanes, top));
            }
            if (secondHits != 0)
            {
                second.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
                worst = Vector512.Create((ulong)OfferHits(secondHits, (i + step) >> TWidth.WordShift, TWidth.WordShift, TWidth.OddLaneOffset512, keys, lanes, top));
            }
        }
        for (; i <= codes.Length - step; i += step)
        {
            var distances = TWidth.Distances(ref start, (nuint)i, query, table);
            ulong hits = Vector512.LessThanOrEqual(distances, worst).ExtractMostSignificantBits() & TWidth.Lanes512;
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector512.Create((ulong)OfferHits(hits, i >> TWidth.WordShift, TWidth.WordShift, TWidth.OddLaneOffset512, keys, lanes, top));
        }
        return i >> TWidth.WordShift;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ScanVector256<TWidth>(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> q, TopK top)
        where TWidth : struct, ICodeWidth
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector256.Create(NibbleCounts256());
        var query = TWidth.Query256(q);
        var worst = Vector256.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector256<ulong>.Count];
        int i = 0;
        for (; i <= codes.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var distances = TWidth.Distances(ref start, (nuint)i, query, table);
            ulong hits = Vector256.LessThanOrEqual(distances, worst).ExtractMostSignificantBits() & TWidth.Lanes256;
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector256.Create((ulong)OfferHits(hits, i >> TWidth.WordShift, TWidth.WordShift, 0, keys, lanes, top));
        }
        return i >> TWidth.WordShift;
    }

    /// <summary>Popcount of each 64-bit lane: a 4-bit table lookup per nibble, then the byte counts summed per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<ulong> WordCounts(Vector512<ulong> x, Vector512<byte> table)
    {
        var lowNibble = Vector512.Create((byte)0x0F);
        var low = Avx512BW.Shuffle(table, x.AsByte() & lowNibble);
        var high = Avx512BW.Shuffle(table, (x >> 4).AsByte() & lowNibble);
        return Avx512BW.SumAbsoluteDifferences(low + high, Vector512<byte>.Zero).AsUInt64();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ulong> WordCounts(Vector256<ulong> x, Vector256<byte> table)
    {
        var lowNibble = Vector256.Create((byte)0x0F);
        var low = Avx2.Shuffle(table, x.AsByte() & lowNibble);
        var high = Avx2.Shuffle(table, (x >> 4).AsByte() & lowNibble);
        return Avx2.SumAbsoluteDifferences(low + high, Vector256<byte>.Zero).AsUInt64();
    }

    /// <summary>Offers the codes whose lanes passed the filter; lane l belongs to code first + (l &gt;&gt; shift) + (l &amp; 1) * oddLaneOffset.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int OfferHits(ulong hits, int first, int shift, int oddLaneOffset, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> lanes, TopK top)
    {
        for (; hits != 0; hits &= hits - 1)
        {
            int lane = BitOperations.TrailingZeroCount(hits);
            int d = (int)lanes[lane];
            if (d <= top.WorstDistance) top.Offer(keys[first + (lane >> shift) + (lane & 1) * oddLaneOffset], d);
        }
        return top.WorstDistance;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanScalar(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> query, TopK top)
    {
        int words = query.Length;
        int worst = top.WorstDistance;
        for (int i = 0, o = 0; o < codes.Length; i++, o += words)
        {
            int d = 0;
            for (int w = 0; w < words; w++) d += BitOperations.PopCount(codes[o + w] ^ query[w]);
            if (d <= worst)
            {
                top.Offer(keys[i], d);
                worst = top.WorstDistance;
            }
        }
    }

    internal static ReadOnlySpan<byte> NibbleCounts256() =>
    [
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    ];

    internal static ReadOnlySpan<byte> NibbleCounts512() =>
    [
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    ];
}
