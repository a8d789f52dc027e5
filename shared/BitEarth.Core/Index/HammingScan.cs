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
/// vector of codes. Other widths and the tail take scalar popcount.
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
        int done = kernel switch
        {
            Kernel.Vector512 => query.Length switch
            {
                1 => Scan64Vector512(codes, keys, query[0], top),
                2 => Scan128Vector512(codes, keys, query, top),
                4 => Scan256Vector512(codes, keys, query, top),
                _ => 0,
            },
            Kernel.Vector256 => query.Length switch
            {
                1 => Scan64Vector256(codes, keys, query[0], top),
                2 => Scan128Vector256(codes, keys, query, top),
                4 => Scan256Vector256(codes, keys, query, top),
                _ => 0,
            },
            _ => 0,
        };
        ScanScalar(codes[(done * query.Length)..], keys[done..], query, top);
    }

    internal static bool IsSupported(Kernel kernel) => kernel switch
    {
        Kernel.Vector512 => Avx512BW.IsSupported && Vector512.IsHardwareAccelerated,
        Kernel.Vector256 => Avx2.IsSupported,
        _ => true,
    };

    // Each vector kernel returns how many codes it scanned: all but a tail shorter than one vector.

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan64Vector512(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ulong q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector512.Create(NibbleCounts512());
        var query = Vector512.Create(q);
        var worst = Vector512.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector512<ulong>.Count];
        int i = 0;
        for (; i <= codes.Length - Vector512<ulong>.Count; i += Vector512<ulong>.Count)
        {
            var distances = WordCounts(Vector512.LoadUnsafe(ref start, (nuint)i) ^ query, table);
            ulong hits = Vector512.LessThanOrEqual(distances, worst).ExtractMostSignificantBits();
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector512.Create((ulong)OfferHits(hits, i, 0, 0, keys, lanes, top));
        }
        return i;
    }

    // Two vectors (8 codes) per step: interleaving their word counts adds each code's two words in one pass and
    // fills all 8 lanes, lane 2j with code j of the first vector and lane 2j+1 with code j of the second.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan128Vector512(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector512.Create(NibbleCounts512());
        var query = Vector512.Create(q[0], q[1], q[0], q[1], q[0], q[1], q[0], q[1]);
        var worst = Vector512.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector512<ulong>.Count];
        int i = 0;
        for (; i <= codes.Length - 2 * Vector512<ulong>.Count; i += 2 * Vector512<ulong>.Count)
        {
            var a = WordCounts(Vector512.LoadUnsafe(ref start, (nuint)i) ^ query, table);
            var b = WordCounts(Vector512.LoadUnsafe(ref start, (nuint)(i + Vector512<ulong>.Count)) ^ query, table);
            var distances = Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);
            ulong hits = Vector512.LessThanOrEqual(distances, worst).ExtractMostSignificantBits();
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector512.Create((ulong)OfferHits(hits, i >> 1, 1, 4, keys, lanes, top));
        }
        return i >> 1;
    }

    // Two vectors (4 codes) per step: interleaving adds word pairs, then neighbouring 128-bit lanes are added;
    // lanes 0, 1, 4, 5 hold codes 0 and 2 (first vector's, second's) and 1 and 3.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan256Vector512(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector512.Create(NibbleCounts512());
        var query = Vector512.Create(q[0], q[1], q[2], q[3], q[0], q[1], q[2], q[3]);
        var worst = Vector512.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector512<ulong>.Count];
        int i = 0;
        for (; i <= codes.Length - 2 * Vector512<ulong>.Count; i += 2 * Vector512<ulong>.Count)
        {
            var a = WordCounts(Vector512.LoadUnsafe(ref start, (nuint)i) ^ query, table);
            var b = WordCounts(Vector512.LoadUnsafe(ref start, (nuint)(i + Vector512<ulong>.Count)) ^ query, table);
            var pairs = Avx512F.UnpackLow(a, b) + Avx512F.UnpackHigh(a, b);
            var distances = pairs + Avx512F.Shuffle4x128(pairs, pairs, 0b10_11_00_01);
            ulong hits = Vector512.LessThanOrEqual(distances, worst).ExtractMostSignificantBits() & 0b0011_0011;
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector512.Create((ulong)OfferHits(hits, i >> 2, 2, 2, keys, lanes, top));
        }
        return i >> 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan64Vector256(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ulong q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector256.Create(NibbleCounts256());
        var query = Vector256.Create(q);
        var worst = Vector256.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector256<ulong>.Count];
        int i = 0;
        for (; i <= codes.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var distances = WordCounts(Vector256.LoadUnsafe(ref start, (nuint)i) ^ query, table);
            ulong hits = Vector256.LessThanOrEqual(distances, worst).ExtractMostSignificantBits();
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector256.Create((ulong)OfferHits(hits, i, 0, 0, keys, lanes, top));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan128Vector256(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector256.Create(NibbleCounts256());
        var query = Vector256.Create(q[0], q[1], q[0], q[1]);
        var worst = Vector256.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector256<ulong>.Count];
        int i = 0;
        for (; i <= codes.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var words = WordCounts(Vector256.LoadUnsafe(ref start, (nuint)i) ^ query, table);
            var distances = words + Avx2.Shuffle(words.AsUInt32(), 0b01_00_11_10).AsUInt64();
            ulong hits = Vector256.LessThanOrEqual(distances, worst).ExtractMostSignificantBits() & 0b0101;
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector256.Create((ulong)OfferHits(hits, i >> 1, 1, 0, keys, lanes, top));
        }
        return i >> 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan256Vector256(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector256.Create(NibbleCounts256());
        var query = Vector256.Create(q[0], q[1], q[2], q[3]);
        var worst = Vector256.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector256<ulong>.Count];
        int i = 0;
        for (; i <= codes.Length - Vector256<ulong>.Count; i += Vector256<ulong>.Count)
        {
            var words = WordCounts(Vector256.LoadUnsafe(ref start, (nuint)i) ^ query, table);
            var pairs = words + Avx2.Shuffle(words.AsUInt32(), 0b01_00_11_10).AsUInt64();
            var distances = pairs + Avx2.Permute4x64(pairs, 0b01_00_11_10);
            ulong hits = Vector256.LessThanOrEqual(distances, worst).ExtractMostSignificantBits() & 0b0001;
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector256.Create((ulong)OfferHits(hits, i >> 2, 2, 0, keys, lanes, top));
        }
        return i >> 2;
    }

    /// <summary>Popcount of each 64-bit lane: a 4-bit table lookup per nibble, then the byte counts summed per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> WordCounts(Vector512<ulong> x, Vector512<byte> table)
    {
        var lowNibble = Vector512.Create((byte)0x0F);
        var low = Avx512BW.Shuffle(table, x.AsByte() & lowNibble);
        var high = Avx512BW.Shuffle(table, (x >> 4).AsByte() & lowNibble);
        return Avx512BW.SumAbsoluteDifferences(low + high, Vector512<byte>.Zero).AsUInt64();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> WordCounts(Vector256<ulong> x, Vector256<byte> table)
    {
        var lowNibble = Vector256.Create((byte)0x0F);
        var low = Avx2.Shuffle(table, x.AsByte() & lowNibble);
        var high = Avx2.Shuffle(table, (x >> 4).AsByte() & lowNibble);
        return Avx2.SumAbsoluteDifferences(low + high, Vector256<byte>.Zero).AsUInt64();
    }

    /// <summary>
    /// Offers the codes whose lanes passed the filter; lane l belongs to code first + (l &gt;&gt; shift) + (l &amp; 1) * oddLaneOffset
    /// (the offset is nonzero where odd lanes hold codes of a second vector).
    /// </summary>
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

    private static ReadOnlySpan<byte> NibbleCounts256() =>
    [
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    ];

    private static ReadOnlySpan<byte> NibbleCounts512() =>
    [
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4,
    ];
}
