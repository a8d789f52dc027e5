using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BitEarth.Core.Index;

/// <summary>
/// The scan kernel: XOR + popcount of one query against packed codes, offering to a <see cref="TopK"/> only the codes
/// that can still enter it. 64-bit codes take a Vector512/Vector256 path (nibble-table popcount and a sum of absolute
/// differences per lane, as the runtime exposes no vector popcount); wider codes and the tail use scalar popcount.
/// </summary>
internal static class HammingScan
{
    public static void Scan(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> query, TopK top)
    {
        switch (query.Length)
        {
            case 1: Scan64(codes, keys, query[0], top); break;
            case 2: Scan128(codes, keys, query[0], query[1], top); break;
            default: ScanWide(codes, keys, query, top); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan64(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ulong q, TopK top)
    {
        int i = 0;
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated) i = Scan64Vector512(codes, keys, q, top);
        else if (Avx2.IsSupported) i = Scan64Vector256(codes, keys, q, top);
        int worst = top.WorstDistance;
        for (; i < codes.Length; i++)
        {
            int d = BitOperations.PopCount(codes[i] ^ q);
            if (d <= worst)
            {
                top.Offer(keys[i], d);
                worst = top.WorstDistance;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan64Vector512(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ulong q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector512.Create(NibbleCounts512());
        var lowNibble = Vector512.Create((byte)0x0F);
        var query = Vector512.Create(q);
        var worst = Vector512.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector512<ulong>.Count];
        int last = codes.Length - Vector512<ulong>.Count;
        int i = 0;
        for (; i <= last; i += Vector512<ulong>.Count)
        {
            var x = Vector512.LoadUnsafe(ref start, (nuint)i) ^ query;
            var low = Avx512BW.Shuffle(table, x.AsByte() & lowNibble);
            var high = Avx512BW.Shuffle(table, (x >> 4).AsByte() & lowNibble);
            var distances = Avx512BW.SumAbsoluteDifferences(low + high, Vector512<byte>.Zero).AsUInt64();
            ulong hits = Vector512.LessThanOrEqual(distances, worst).ExtractMostSignificantBits();
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector512.Create((ulong)OfferHits(hits, i, keys, lanes, top));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Scan64Vector256(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ulong q, TopK top)
    {
        ref ulong start = ref MemoryMarshal.GetReference(codes);
        var table = Vector256.Create(NibbleCounts256());
        var lowNibble = Vector256.Create((byte)0x0F);
        var query = Vector256.Create(q);
        var worst = Vector256.Create((ulong)top.WorstDistance);
        Span<ulong> lanes = stackalloc ulong[Vector256<ulong>.Count];
        int last = codes.Length - Vector256<ulong>.Count;
        int i = 0;
        for (; i <= last; i += Vector256<ulong>.Count)
        {
            var x = Vector256.LoadUnsafe(ref start, (nuint)i) ^ query;
            var low = Avx2.Shuffle(table, x.AsByte() & lowNibble);
            var high = Avx2.Shuffle(table, (x >> 4).AsByte() & lowNibble);
            var distances = Avx2.SumAbsoluteDifferences(low + high, Vector256<byte>.Zero).AsUInt64();
            ulong hits = Vector256.LessThanOrEqual(distances, worst).ExtractMostSignificantBits();
            if (hits == 0) continue;
            distances.StoreUnsafe(ref MemoryMarshal.GetReference(lanes));
            worst = Vector256.Create((ulong)OfferHits(hits, i, keys, lanes, top));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int OfferHits(ulong hits, int first, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> lanes, TopK top)
    {
        for (; hits != 0; hits &= hits - 1)
        {
            int lane = BitOperations.TrailingZeroCount(hits);
            int d = (int)lanes[lane];
            if (d <= top.WorstDistance) top.Offer(keys[first + lane], d);
        }
        return top.WorstDistance;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan128(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ulong q0, ulong q1, TopK top)
    {
        int worst = top.WorstDistance;
        for (int i = 0, o = 0; o < codes.Length; i++, o += 2)
        {
            int d = BitOperations.PopCount(codes[o] ^ q0) + BitOperations.PopCount(codes[o + 1] ^ q1);
            if (d <= worst)
            {
                top.Offer(keys[i], d);
                worst = top.WorstDistance;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanWide(ReadOnlySpan<ulong> codes, ReadOnlySpan<long> keys, ReadOnlySpan<ulong> query, TopK top)
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
