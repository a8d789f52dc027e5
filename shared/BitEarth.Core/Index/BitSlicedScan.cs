using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>
/// The bit-sliced scan kernel. Codes sit in blocks of <see cref="BlockCodes"/>: plane j of a block holds bit j of
/// each of its codes (<see cref="PlaneWords"/> words), so one vector op touches a bit of 512 (or 256, or 64) codes at
/// once and no popcount is needed: the planes, XORed with the query's bit broadcast, are added by a carry-save adder
/// tree (Harley-Seal: three planes of one weight in, a sum of that weight and a carry of the next out) into bit-sliced
/// counters, which are compared, still bit-sliced, with the current k-th distance. Only lanes that pass have their
/// distance read out and offered. Several queries are counted over a few blocks while those stay in L1.
/// The loop is written once over a struct per vector width (<see cref="IPlanes{TVector}"/>): Vector512 (ternary
/// logic), Vector256 and one ulong (64 lanes), the scalar path.
/// </summary>
internal static class BitSlicedScan
{
    internal enum Kernel { Scalar, Vector256, Vector512 }

    public const int BlockCodes = 512;
    public const int PlaneWords = BlockCodes / 64;

    // Blocks counted for every query of a group before moving on: 16 KiB of planes, half of L1.
    private const int CacheBytes = 16 * 1024;

    /// <summary>The widest kernel this CPU runs.</summary>
    internal static readonly Kernel Best =
        Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? Kernel.Vector512 : Avx2.IsSupported ? Kernel.Vector256 : Kernel.Scalar;

    internal static bool IsSupported(Kernel kernel) => kernel switch
    {
        Kernel.Vector512 => Avx512F.IsSupported && Vector512.IsHardwareAccelerated,
        Kernel.Vector256 => Vector256.IsHardwareAccelerated,
        _ => true,
    };

    /// <summary>Counter planes a distance of 0..bits needs.</summary>
    public static int CounterLevels(int bits) => BitOperations.Log2((uint)bits) + 1;

    /// <summary>
    /// Offers the first <paramref name="count"/> codes of <paramref name="planes"/> (bits * 8 words per block) to
    /// <paramref name="tops"/>[q] for each query q; <paramref name="queryWords"/> holds the queries' words back to back.
    /// </summary>
    public static void Scan(ReadOnlySpan<ulong> planes, ReadOnlySpan<long> keys, int count, int bits, ReadOnlySpan<ulong> queryWords, TopK[] tops, Kernel kernel)
    {
        if (count == 0) return;
        // Each query bit as a word of all zeros or all ones, to XOR a plane with.
        int words = HammingCode.WordCount(bits);
        var masks = new ulong[tops.Length * bits];
        for (int q = 0; q < tops.Length; q++)
            for (int j = 0; j < bits; j++)
                masks[q * bits + j] = 0UL - (queryWords[q * words + (j >> 6)] >> (j & 63) & 1);
        switch (kernel)
        {
            case Kernel.Vector512: ScanBlocks<Planes512, Vector512<ulong>>(planes, keys, count, bits, masks, tops); break;
            case Kernel.Vector256: ScanBlocks<Planes256, Vector256<ulong>>(planes, keys, count, bits, masks, tops); break;
            default: ScanBlocks<Planes64, ulong>(planes, keys, count, bits, masks, tops); break;
        }
    }

    /// <summary>The operations on one vector of lanes (a plane is <see cref="PlaneWords"/> / Words such vectors).</summary>
    private interface IPlanes<TVector> where TVector : unmanaged
    {
        /// <summary>Words (64 lanes each) per vector.</summary>
        static abstract int Words { get; }

        static abstract TVector Load(ref ulong at);

        static abstract TVector Broadcast(ulong word);

        static abstract TVector Xor(TVector a, TVector b);

        static abstract TVector And(TVector a, TVector b);

        static abstract TVector AndNot(TVector a, TVector b);

        /// <summary>a ^ b ^ c: the sum bit of a full adder.</summary>
        static abstract TVector Sum(TVector a, TVector b, TVector c);

        /// <summary>At least two of a, b, c: the carry bit of a full adder.</summary>
        static abstract TVector Majority(TVector a, TVector b, TVector c);

        /// <summary>a | (b &amp; ~c).</summary>
        static abstract TVector OrAndNot(TVector a, TVector b, TVector c);

        static abstract bool IsZero(TVector a);
    }

    private readonly struct Planes512 : IPlanes<Vector512<ulong>>
    {
        public static int Words => 8;

        public static Vector512<ulong> Load(ref ulong at) => Vector512.LoadUnsafe(ref at);

        public static Vector512<ulong> Broadcast(ulong word) => Vector512.Create(word);

        public static Vector512<ulong> Xor(Vector512<ulong> a, Vector512<ulong> b) => a ^ b;

        public static Vector512<ulong> And(Vector512<ulong> a, Vector512<ulong> b) => a & b;

        public static Vector512<ulong> AndNot(Vector512<ulong> a, Vector512<ulong> b) => Vector512.AndNot(a, b);

        // Control bytes are the truth tables over a = 0xF0, b = 0xCC, c = 0xAA.
        public static Vector512<ulong> Sum(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) => Avx512F.TernaryLogic(a, b, c, 0x96);

        public static Vector512<ulong> Majority(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) => Avx512F.TernaryLogic(a, b, c, 0xE8);

        public static Vector512<ulong> OrAndNot(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) => Avx512F.TernaryLogic(a, b, c, 0xF4);

        public static bool IsZero(Vector512<ulong> a) => a == Vector512<ulong>.Zero;
    }

    private readonly struct Planes256 : IPlanes<Vector256<ulong>>
    {
        public static int Words => 4;

        public static Vector256<ulong> Load(ref ulong at) => Vector256.LoadUnsafe(ref at);

        public static Vector256<ulong> Broadcast(ulong word) => Vector256.Create(word);

        public static Vector256<ulong> Xor(Vector256<ulong> a, Vector256<ulong> b) => a ^ b;

        public static Vector256<ulong> And(Vector256<ulong> a, Vector256<ulong> b) => a & b;

        public static Vector256<ulong> AndNot(Vector256<ulong> a, Vector256<ulong> b) => Vector256.AndNot(a, b);

        public static Vector256<ulong> Sum(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) => a ^ b ^ c;

        public static Vector256<ulong> Majority(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) => (a & b) | (c & (a | b));

        public static Vector256<ulong> OrAndNot(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) => a | Vector256.AndNot(b, c);

        public static bool IsZero(Vector256<ulong> a) => a == Vector256<ulong>.Zero;
    }

    private readonly struct Planes64 : IPlanes<ulong>
    {
        public static int Words => 1;

        public static ulong Load(ref ulong at) => at;

        public static ulong Broadcast(ulong word) => word;

        public static ulong Xor(ulong a, ulong b) => a ^ b;

        public static ulong And(ulong a, ulong b) => a & b;

        public static ulong AndNot(ulong a, ulong b) => a & ~b;

        public static ulong Sum(ulong a, ulong b, ulong c) => a ^ b ^ c;

        public static ulong Majority(ulong a, ulong b, ulong c) => (a & b) | (c & (a | b));

        public static ulong OrAndNot(ulong a, ulong b, ulong c) => a | (b & ~c);

        public static bool IsZero(ulong a) => a == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanBlocks<TPlanes, TVector>(ReadOnlySpan<ulong> planes, ReadOnlySpan<long> keys, int count, int bits, ulong[] masks, TopK[] tops)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        int levels = CounterLevels(bits);
        int parts = PlaneWords / TPlanes.Words;
        int blockWords = bits * PlaneWords;
        int blocks = (count + BlockCodes - 1) / BlockCodes;
        int perVisit = Math.Max(1, CacheBytes / (blockWords * sizeof(ulong)));
        Span<TVector> counter = stackalloc TVector[2 * levels];
        Span<ulong> lanes = stackalloc ulong[PlaneWords];
        ref ulong start = ref MemoryMarshal.GetReference(planes);
        for (int first = 0; first < blocks; first += perVisit)
        {
            int end = Math.Min(blocks, first + perVisit);
            for (int q = 0; q < tops.Length; q++)
            {
                var top = tops[q];
                ref ulong mask = ref masks[q * bits];
                int worst = top.WorstDistance;
                for (int b = first; b < end; b++)
                {
                    int codes = Math.Min(BlockCodes, count - b * BlockCodes);
                    for (int part = 0; part < parts; part++)
                    {
                        int lane0 = part * TPlanes.Words * 64;
                        if (lane0 >= codes) break;
                        ref ulong plane0 = ref Unsafe.Add(ref start, (nint)b * blockWords + part * TPlanes.Words);
                        Count<TPlanes, TVector>(ref plane0, ref mask, bits, counter);
                        var within = AtMost<TPlanes, TVector>(counter[..levels], worst);
                        if (TPlanes.IsZero(within)) continue;
                        worst = Offer(within, counter[..levels], codes - lane0, keys[(b * BlockCodes + lane0)..], lanes, top);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds the query-XORed planes into bit-sliced counters (counter[0..levels), the rest is scratch): groups of 8
    /// planes go through a Harley-Seal tree into ones, twos, fours and one plane of weight 8; those of weight 8 and up
    /// are paired like the digits of a binary counter, an unpaired one waiting in scratch until its partner comes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Count<TPlanes, TVector>(ref ulong plane0, ref ulong mask, int bits, Span<TVector> counter)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        int levels = counter.Length / 2;
        var waiting = counter[levels..];
        counter[..levels].Clear();
        TVector ones = default, twos = default, fours = default;
        int groups = bits / 8;
        for (int g = 0; g < groups; g++)
        {
            ref ulong p = ref Unsafe.Add(ref plane0, g * 8 * PlaneWords);
            ref ulong m = ref Unsafe.Add(ref mask, g * 8);
            var (twosA, onesA) = Add<TPlanes, TVector>(ones, Plane<TPlanes, TVector>(ref p, ref m, 0), Plane<TPlanes, TVector>(ref p, ref m, 1));
            var (twosB, onesB) = Add<TPlanes, TVector>(onesA, Plane<TPlanes, TVector>(ref p, ref m, 2), Plane<TPlanes, TVector>(ref p, ref m, 3));
            var (foursA, twosC) = Add<TPlanes, TVector>(twos, twosA, twosB);
            (twosA, onesA) = Add<TPlanes, TVector>(onesB, Plane<TPlanes, TVector>(ref p, ref m, 4), Plane<TPlanes, TVector>(ref p, ref m, 5));
            (twosB, ones) = Add<TPlanes, TVector>(onesA, Plane<TPlanes, TVector>(ref p, ref m, 6), Plane<TPlanes, TVector>(ref p, ref m, 7));
            var (foursB, twosD) = Add<TPlanes, TVector>(twosC, twosA, twosB);
            twos = twosD;
            var (eights, foursC) = Add<TPlanes, TVector>(fours, foursA, foursB);
            fours = foursC;
            // The (g+1)-th plane of weight 8: pair it upwards while the counter of such planes carries.
            var carry = eights;
            int level = 3;
            for (int n = g + 1; (n & 1) == 0; n >>= 1, level++)
                (carry, counter[level]) = Add<TPlanes, TVector>(counter[level], waiting[level], carry);
            waiting[level] = carry;
        }
        // Planes still waiting (when the groups are not a power of two) are added with half adders.
        for (int level = 3; level < levels; level++)
        {
            if ((groups >> (level - 3) & 1) == 0) continue;
            var carry = waiting[level];
            for (int up = level; up < levels; up++)
            {
                var digit = counter[up];
                counter[up] = TPlanes.Xor(digit, carry);
                carry = TPlanes.And(digit, carry);
            }
        }
        counter[0] = ones;
        counter[1] = twos;
        counter[2] = fours;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Plane<TPlanes, TVector>(ref ulong p, ref ulong m, int j)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged =>
        TPlanes.Xor(TPlanes.Load(ref Unsafe.Add(ref p, j * PlaneWords)), TPlanes.Broadcast(Unsafe.Add(ref m, j)));

    /// <summary>A full adder: the carry (next weight) and the sum (same weight) of three planes of one weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector Carry, TVector Sum) Add<TPlanes, TVector>(TVector a, TVector b, TVector c)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged =>
        (TPlanes.Majority(a, b, c), TPlanes.Sum(a, b, c));

    /// <summary>Lanes whose counter is at most <paramref name="bound"/>: digits compared from the top, bit-sliced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector AtMost<TPlanes, TVector>(ReadOnlySpan<TVector> counter, int bound)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        TVector below = default, equal = TPlanes.Broadcast(ulong.MaxValue);
        for (int level = counter.Length - 1; level >= 0; level--)
        {
            var digit = counter[level];
            if ((bound >> level & 1) != 0)
            {
                below = TPlanes.OrAndNot(below, equal, digit);
                equal = TPlanes.And(equal, digit);
            }
            else
            {
                equal = TPlanes.AndNot(equal, digit);
            }
        }
        return TPlanes.Xor(below, equal); // disjoint, so their union
    }

    /// <summary>Reads out and offers the distances of the passing lanes below <paramref name="codes"/>; returns the new k-th distance.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Offer<TVector>(TVector within, ReadOnlySpan<TVector> counter, int codes, ReadOnlySpan<long> keys, Span<ulong> lanes, TopK top)
        where TVector : unmanaged
    {
        var digits = MemoryMarshal.Cast<TVector, ulong>(counter);
        int words = digits.Length / counter.Length;
        MemoryMarshal.Write(MemoryMarshal.AsBytes(lanes), in within);
        for (int w = 0; w < words && w * 64 < codes; w++)
        {
            ulong hits = lanes[w];
            if (codes - w * 64 < 64) hits &= (1UL << (codes - w * 64)) - 1;
            for (; hits != 0; hits &= hits - 1)
            {
                int bit = BitOperations.TrailingZeroCount(hits);
                int d = 0;
                for (int level = 0; level < counter.Length; level++) d |= (int)(digits[level * words + w] >> bit & 1) << level;
                if (d <= top.WorstDistance) top.Offer(keys[w * 64 + bit], d);
            }
        }
        return top.WorstDistance;
    }
}
