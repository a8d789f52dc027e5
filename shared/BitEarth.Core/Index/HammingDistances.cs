using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BitEarth.Core.Index;

/// <summary>
/// The Hamming distance of one query code to every packed code, written out in order. One-word codes (up to 64 bits,
/// every length the methods table uses) take a Vector512 or Vector256 path, 16 or 8 codes a step: XOR, a nibble-table
/// popcount (a byte shuffle within each 128-bit lane) and a sum of absolute differences give each 64-bit lane's count
/// (.NET 10 exposes no AVX-512 VPOPCNTQ), and the two halves of a step narrow into one vector of 32-bit distances.
/// Wider codes and the tail take scalar popcount. Kernels and the lane popcount are those of <see cref="HammingScan"/>.
/// </summary>
internal static class HammingDistances
{
    public static void Compute(ReadOnlySpan<ulong> codes, ReadOnlySpan<ulong> query, Span<int> distances) =>
        Compute(codes, query, distances, HammingScan.Best);

    /// <summary>Computes with <paramref name="kernel"/> (which the CPU must support), so tests can check each path.</summary>
    internal static void Compute(ReadOnlySpan<ulong> codes, ReadOnlySpan<ulong> query, Span<int> distances, HammingScan.Kernel kernel)
    {
        int words = query.Length;
        if (words == 0 || codes.Length != distances.Length * words)
            throw new ArgumentException($"{codes.Length} words of codes do not make {distances.Length} codes of {words} words.", nameof(codes));
        int done = words != 1 ? 0 : kernel switch
        {
            HammingScan.Kernel.Vector512 => OneWord512(codes, query[0], distances),
            HammingScan.Kernel.Vector256 => OneWord256(codes, query[0], distances),
            _ => 0,
        };
        for (int i = done, at = done * words; i < distances.Length; i++, at += words)
        {
            int distance = 0;
            for (int w = 0; w < words; w++) distance += BitOperations.PopCount(codes[at + w] ^ query[w]);
            distances[i] = distance;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int OneWord512(ReadOnlySpan<ulong> codes, ulong query, Span<int> distances)
    {
        ref ulong source = ref MemoryMarshal.GetReference(codes);
        ref int target = ref MemoryMarshal.GetReference(distances);
        var repeated = Vector512.Create(query);
        var table = Vector512.Create(HammingScan.NibbleCounts512());
        int step = 2 * Vector512<ulong>.Count, i = 0;
        for (; i <= codes.Length - step; i += step)
        {
            var lower = HammingScan.WordCounts(Vector512.LoadUnsafe(ref source, (nuint)i) ^ repeated, table);
            var upper = HammingScan.WordCounts(Vector512.LoadUnsafe(ref source, (nuint)(i + Vector512<ulong>.Count)) ^ repeated, table);
            Vector512.Narrow(lower, upper).AsInt32().StoreUnsafe(ref target, (nuint)i);
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int OneWord256(ReadOnlySpan<ulong> codes, ulong query, Span<int> distances)
    {
        ref ulong source = ref MemoryMarshal.GetReference(codes);
        ref int target = ref MemoryMarshal.GetReference(distances);
        var repeated = Vector256.Create(query);
        var table = Vector256.Create(HammingScan.NibbleCounts256());
        int step = 2 * Vector256<ulong>.Count, i = 0;
        for (; i <= codes.Length - step; i += step)
        {
            var lower = HammingScan.WordCounts(Vector256.LoadUnsafe(ref source, (nuint)i) ^ repeated, table);
            var upper = HammingScan.WordCounts(Vector256.LoadUnsafe(ref source, (nuint)(i + Vector256<ulong>.Count)) ^ repeated, table);
            Vector256.Narrow(lower, upper).AsInt32().StoreUnsafe(ref target, (nuint)i);
        }
        return i;
    }
}
