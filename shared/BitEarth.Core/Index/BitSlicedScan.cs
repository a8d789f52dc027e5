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
/// once and no popcount is needed: planes are added by a carry-save adder tree (Harley-Seal: three planes of one
/// weight in, a sum of that weight and a carry of the next out) into bit-sliced counters, compared, still
/// bit-sliced, with the current k-th distance. Only lanes that pass have their distance read out and offered.
/// No plane is XORed with the query: with O the query's one bits and Z its zero bits, the distance of code x is
/// |O| + |x| - 2 c_O = |O| - |x| + 2 c_Z, where c_S counts x's ones among the planes S. So a query adds up only the
/// planes of the smaller of O and Z (at most half of them), and |x| is counted once per block for all queries.
/// Its complement ~|x| = 2^L - 1 - |x| (L counter digits) seeds the counter, so the count yields T = 2c + ~|x| with no
/// subtraction: d = |O| - 2^L + 1 + T for the zeros' planes, d = |O| + 2^L - 1 - T for the ones', and a bound on d
/// is a bound on T. Several queries are counted over a few blocks while those stay in L1.
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

    /// <summary>Counter digits a count of 0..bits needs.</summary>
    public static int CounterLevels(int bits) => BitOperations.Log2((uint)bits) + 1;

    /// <summary>
    /// Offers the first <paramref name="count"/> codes of <paramref name="planes"/> (bits * 8 words per block) to
    /// <paramref name="tops"/>[q] for each query q; <paramref name="queryWords"/> holds the queries' words back to back.
    /// </summary>
    public static void Scan(ReadOnlySpan<ulong> planes, ReadOnlySpan<long> keys, int count, int bits, ReadOnlySpan<ulong> queryWords, TopK[] tops, Kernel kernel)
    {
        if (count == 0) return;
        var plans = new QueryPlans(bits, queryWords, tops.Length);
        switch (kernel)
        {
            case Kernel.Vector512: ScanBlocks<Planes512, Vector512<ulong>>(planes, keys, count, bits, plans, tops); break;
            case Kernel.Vector256: ScanBlocks<Planes256, Vector256<ulong>>(planes, keys, count, bits, plans, tops); break;
            default: ScanBlocks<Planes64, ulong>(planes, keys, count, bits, plans, tops); break;
        }
    }

    /// <summary>
    /// Which planes each query adds up: offsets (in words, from plane 0) of the planes of its ones or, when fewer, of
    /// its zeros, padded to a multiple of 8 with plane 0 masked out by <see cref="Keep"/> in the last group of 8.
    /// Plan <see cref="All"/> (index = query count) is every plane, for counting |x|.
    /// </summary>
    private sealed class QueryPlans
    {
        public readonly int[] Offsets;
        public readonly ulong[] Keep;
        public readonly int[] Groups;
        public readonly int[] Ones;
        public readonly bool[] FromZeros;
        public readonly int Stride;
        public readonly int All;

        public QueryPlans(int bits, ReadOnlySpan<ulong> queryWords, int queries)
        {
            int words = HammingCode.WordCount(bits);
            Stride = (bits + 7) / 8 * 8;
            All = queries;
            Offsets = new int[(queries + 1) * Stride];
            Keep = new ulong[(queries + 1) * 8];
            Groups = new int[queries + 1];
            Ones = new int[queries + 1];
            FromZeros = new bool[queries + 1];
            for (int q = 0; q <= queries; q++)
            {
                var query = q < queries ? queryWords.Slice(q * words, words) : default;
                int ones = 0;
                foreach (ulong word in query) ones += BitOperations.PopCount(word);
                // Every plane for |x|: those of a query's zeros with no ones.
                bool zeros = q == queries || 2 * ones > bits;
                int n = 0;
                for (int j = 0; j < bits; j++)
                    if ((q < queries && (query[j >> 6] >> (j & 63) & 1) != 0) != zeros) Offsets[q * Stride + n++] = j * PlaneWords;
                int groups = (n + 7) / 8;
                for (int i = 0; i < 8; i++) Keep[q * 8 + i] = (groups - 1) * 8 + i < n ? ulong.MaxValue : 0;
                (Groups[q], Ones[q], FromZeros[q]) = (groups, ones, zeros);
            }
        }
    }

    /// <summary>The operations on one vector of lanes (a plane is <see cref="PlaneWords"/> / Words such vectors).</summary>
    private interface IPlanes<TVector> where TVector : unmanaged
    {
        /// <summary>Words (64 lanes each) per vector.</summary>
        static abstract int Words { get; }

        static abstract TVector Load(ref ulong at);

        static abstract TVector Broadcast(ulong word);

        static abstract TVector And(TVector a, TVector b);

        static abstract TVector Not(TVector a);

        /// <summary>a ^ b ^ c: the sum bit of a full adder.</summary>
        static abstract TVector Sum(TVector a, TVector b, TVector c);

        /// <summary>At least two of a, b, c: the carry bit of a full adder.</summary>
        static abstract TVector Majority(TVector a, TVector b, TVector c);

        /// <summary>At least two of a, ~b, c.</summary>
        static abstract TVector MajorityNotB(TVector a, TVector b, TVector c);

        static abstract bool IsZero(TVector a);
    }

    private readonly struct Planes512 : IPlanes<Vector512<ulong>>
    {
        public static int Words => 8;

        public static Vector512<ulong> Load(ref ulong at) => Vector512.LoadUnsafe(ref at);

        public static Vector512<ulong> Broadcast(ulong word) => Vector512.Create(word);

        public static Vector512<ulong> And(Vector512<ulong> a, Vector512<ulong> b) => a & b;

        public static Vector512<ulong> Not(Vector512<ulong> a) => ~a;

        // Control bytes are the truth tables over a = 0xF0, b = 0xCC, c = 0xAA.
        public static Vector512<ulong> Sum(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) => Avx512F.TernaryLogic(a, b, c, 0x96);

        public static Vector512<ulong> Majority(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) => Avx512F.TernaryLogic(a, b, c, 0xE8);

        public static Vector512<ulong> MajorityNotB(Vector512<ulong> a, Vector512<ulong> b, Vector512<ulong> c) => Avx512F.TernaryLogic(a, b, c, 0xB2);

        public static bool IsZero(Vector512<ulong> a) => a == Vector512<ulong>.Zero;
    }

    private readonly struct Planes256 : IPlanes<Vector256<ulong>>
    {
        public static int Words => 4;

        public static Vector256<ulong> Load(ref ulong at) => Vector256.LoadUnsafe(ref at);

        public static Vector256<ulong> Broadcast(ulong word) => Vector256.Create(word);

        public static Vector256<ulong> And(Vector256<ulong> a, Vector256<ulong> b) => a & b;

        public static Vector256<ulong> Not(Vector256<ulong> a) => ~a;

        public static Vector256<ulong> Sum(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) => a ^ b ^ c;

        public static Vector256<ulong> Majority(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) => (a & b) | (c & (a | b));

        public static Vector256<ulong> MajorityNotB(Vector256<ulong> a, Vector256<ulong> b, Vector256<ulong> c) => Majority(a, ~b, c);

        public static bool IsZero(Vector256<ulong> a) => a == Vector256<ulong>.Zero;
    }

    private readonly struct Planes64 : IPlanes<ulong>
    {
        public static int Words => 1;

        public static ulong Load(ref ulong at) => at;

        public static ulong Broadcast(ulong word) => word;

        public static ulong And(ulong a, ulong b) => a & b;

        public static ulong Not(ulong a) => ~a;

        public static ulong Sum(ulong a, ulong b, ulong c) => a ^ b ^ c;

        public static ulong Majority(ulong a, ulong b, ulong c) => (a & b) | (c & (a | b));

        public static ulong MajorityNotB(ulong a, ulong b, ulong c) => Majority(a, ~b, c);

        public static bool IsZero(ulong a) => a == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScanBlocks<TPlanes, TVector>(ReadOnlySpan<ulong> planes, ReadOnlySpan<long> keys, int count, int bits, QueryPlans plans, TopK[] tops)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        int levels = CounterLevels(bits);
        int parts = PlaneWords / TPlanes.Words;
        int blockWords = bits * PlaneWords;
        int blocks = (count + BlockCodes - 1) / BlockCodes;
        int perVisit = Math.Max(1, CacheBytes / (blockWords * sizeof(ulong)));
        // Per block part of a visit, the digits of ~|x| and a zero digit on top; T's digits; no seed for counting |x|.
        Span<TVector> complements = stackalloc TVector[perVisit * parts * (levels + 1)];
        Span<TVector> total = stackalloc TVector[levels + 1];
        Span<TVector> unseeded = stackalloc TVector[levels + 1];
        unseeded.Clear();
        Span<TVector> waiting = stackalloc TVector[levels];
        Span<ulong> boundDigits = stackalloc ulong[levels + 1];
        Span<ulong> lanes = stackalloc ulong[PlaneWords];
        ref ulong start = ref MemoryMarshal.GetReference(planes);
        int all = plans.All, largest = (1 << levels) - 1;
        for (int first = 0; first < blocks; first += perVisit)
        {
            int end = Math.Min(blocks, first + perVisit);
            for (int b = first; b < end; b++)
            {
                for (int part = 0; part < parts; part++)
                {
                    ref ulong plane0 = ref Unsafe.Add(ref start, (nint)b * blockWords + part * TPlanes.Words);
                    var complement = complements.Slice(((b - first) * parts + part) * (levels + 1), levels + 1);
                    Count<TPlanes, TVector>(ref plane0, plans.Groups[all], ref plans.Offsets[all * plans.Stride], ref plans.Keep[all * 8], levels,
                        ref unseeded[0], ref complement[0], ref waiting[0]);
                    for (int level = 0; level < levels; level++) complement[level] = TPlanes.Not(complement[level]);
                    complement[levels] = default;
                }
            }
            for (int q = 0; q < tops.Length; q++)
            {
                var top = tops[q];
                bool fromZeros = plans.FromZeros[q];
                int groups = plans.Groups[q];
                ref int offsets = ref plans.Offsets[q * plans.Stride];
                ref ulong keep = ref plans.Keep[q * 8];
                int ones = plans.Ones[q];
                int offset = fromZeros ? ones - largest : ones + largest;
                SetBound(boundDigits, BoundOnTotal(top.WorstDistance, ones, largest, fromZeros));
                for (int b = first; b < end; b++)
                {
                    int codes = Math.Min(BlockCodes, count - b * BlockCodes);
                    for (int part = 0; part < parts; part++)
                    {
                        int lane0 = part * TPlanes.Words * 64;
                        if (lane0 >= codes) break;
                        ref ulong plane0 = ref Unsafe.Add(ref start, (nint)b * blockWords + part * TPlanes.Words);
                        ref TVector complement = ref complements[((b - first) * parts + part) * (levels + 1)];
                        // T = 2 (c + ~|x| / 2) + the lowest digit of ~|x|: the count, seeded with ~|x| shifted down.
                        total[0] = complement;
                        Count<TPlanes, TVector>(ref plane0, groups, ref offsets, ref keep, levels, ref complement, ref total[1], ref waiting[0]);
                        var within = fromZeros
                            ? AtMost<TPlanes, TVector>(total, ref boundDigits[0])
                            : AtLeast<TPlanes, TVector>(total, ref boundDigits[0]);
                        if (TPlanes.IsZero(within)) continue;
                        var distances = new Distances<TVector>(total, fromZeros ? 1 : -1, offset);
                        int worst = Offer(within, distances, codes - lane0, keys[(b * BlockCodes + lane0)..], lanes, top);
                        SetBound(boundDigits, BoundOnTotal(worst, ones, largest, fromZeros));
                    }
                }
            }
        }
    }

    // d <= worst is T <= worst - |O| + 2^L - 1 for the zeros' planes, and T >= |O| + 2^L - 1 - worst, that is
    // ~T <= 2^L + worst - |O| in L + 1 digits, for the ones'.
    private static int BoundOnTotal(int worst, int ones, int largest, bool fromZeros) =>
        fromZeros ? worst - ones + largest : worst - ones + largest + 1;

    // Each digit of the bound as a word of all ones or all zeros.
    private static void SetBound(Span<ulong> digits, int bound)
    {
        for (int level = 0; level < digits.Length; level++) digits[level] = 0UL - (ulong)(bound >> level & 1);
    }

    /// <summary>
    /// Adds up the planes at <paramref name="offsets"/> and seed[1..levels] / 2 (seed[l] of weight 2^(l-1)) into
    /// bit-sliced counter digits output[0..levels), which the sum must fit: groups of 8
    /// planes go through a Harley-Seal tree into ones, twos, fours and one plane of weight 8; those of weight 8 and
    /// up are paired like the digits of a binary counter, an unpaired one waiting until its partner comes. The last
    /// group is masked by <paramref name="keep"/>, as its padding repeats plane 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Count<TPlanes, TVector>(ref ulong plane0, int groups, ref int offsets, ref ulong keep, int levels, ref TVector seed, ref TVector output, ref TVector waiting)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        for (int level = 4; level < levels; level++) Unsafe.Add(ref output, level) = Unsafe.Add(ref seed, level + 1);
        TVector ones = Unsafe.Add(ref seed, 1), twos = Unsafe.Add(ref seed, 2), fours = Unsafe.Add(ref seed, 3);
        // Weight 8 in registers too (the sum and the plane waiting for a partner); higher weights in memory.
        TVector eightsSum = Unsafe.Add(ref seed, 4), eightsWaiting = default;
        for (int g = 0; g < groups; g++)
        {
            ref int o = ref Unsafe.Add(ref offsets, g * 8);
            TVector eights;
            if (g < groups - 1)
            {
                eights = Add8<TPlanes, TVector>(ref ones, ref twos, ref fours,
                    Load<TPlanes, TVector>(ref plane0, ref o, 0), Load<TPlanes, TVector>(ref plane0, ref o, 1),
                    Load<TPlanes, TVector>(ref plane0, ref o, 2), Load<TPlanes, TVector>(ref plane0, ref o, 3),
                    Load<TPlanes, TVector>(ref plane0, ref o, 4), Load<TPlanes, TVector>(ref plane0, ref o, 5),
                    Load<TPlanes, TVector>(ref plane0, ref o, 6), Load<TPlanes, TVector>(ref plane0, ref o, 7));
            }
            else
            {
                eights = Add8<TPlanes, TVector>(ref ones, ref twos, ref fours,
                    Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 0), Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 1),
                    Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 2), Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 3),
                    Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 4), Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 5),
                    Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 6), Masked<TPlanes, TVector>(ref plane0, ref o, ref keep, 7));
            }
            // The (g+1)-th plane of weight 8: pair it upwards while the counter of such planes carries.
            if ((g & 1) == 0)
            {
                eightsWaiting = eights;
                continue;
            }
            (var carry, eightsSum) = Add<TPlanes, TVector>(eightsSum, eightsWaiting, eights);
            int up = 4;
            for (int n = (g + 1) >> 1; (n & 1) == 0; n >>= 1, up++)
                (carry, Unsafe.Add(ref output, up)) = Add<TPlanes, TVector>(Unsafe.Add(ref output, up), Unsafe.Add(ref waiting, up), carry);
            Unsafe.Add(ref waiting, up) = carry;
        }
        Unsafe.Add(ref output, 3) = eightsSum;
        Unsafe.Add(ref waiting, 3) = eightsWaiting;
        // Planes still waiting (when the groups are not a power of two) are added with half adders.
        for (int level = 3; level < levels; level++)
        {
            if ((groups >> (level - 3) & 1) == 0) continue;
            var carry = Unsafe.Add(ref waiting, level);
            for (int up = level; up < levels; up++)
            {
                var digit = Unsafe.Add(ref output, up);
                Unsafe.Add(ref output, up) = TPlanes.Sum(digit, carry, default); // digit ^ carry
                carry = TPlanes.And(digit, carry);
            }
        }
        output = ones;
        Unsafe.Add(ref output, 1) = twos;
        Unsafe.Add(ref output, 2) = fours;
    }

    /// <summary>Eight planes into the running ones, twos and fours; returns the carry of weight 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Add8<TPlanes, TVector>(ref TVector ones, ref TVector twos, ref TVector fours,
        TVector p0, TVector p1, TVector p2, TVector p3, TVector p4, TVector p5, TVector p6, TVector p7)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        var (twosA, onesA) = Add<TPlanes, TVector>(ones, p0, p1);
        var (twosB, onesB) = Add<TPlanes, TVector>(onesA, p2, p3);
        var (foursA, twosC) = Add<TPlanes, TVector>(twos, twosA, twosB);
        (twosA, onesA) = Add<TPlanes, TVector>(onesB, p4, p5);
        (twosB, ones) = Add<TPlanes, TVector>(onesA, p6, p7);
        var (foursB, twosD) = Add<TPlanes, TVector>(twosC, twosA, twosB);
        twos = twosD;
        var (eights, foursC) = Add<TPlanes, TVector>(fours, foursA, foursB);
        fours = foursC;
        return eights;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Load<TPlanes, TVector>(ref ulong plane0, ref int offsets, int i)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged =>
        TPlanes.Load(ref Unsafe.Add(ref plane0, Unsafe.Add(ref offsets, i)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Masked<TPlanes, TVector>(ref ulong plane0, ref int offsets, ref ulong keep, int i)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged =>
        TPlanes.And(Load<TPlanes, TVector>(ref plane0, ref offsets, i), TPlanes.Broadcast(Unsafe.Add(ref keep, i)));

    /// <summary>A full adder: the carry (next weight) and the sum (same weight) of three planes of one weight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (TVector Carry, TVector Sum) Add<TPlanes, TVector>(TVector a, TVector b, TVector c)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged =>
        (TPlanes.Majority(a, b, c), TPlanes.Sum(a, b, c));

    /// <summary>
    /// Lanes whose digits are at most <paramref name="bound"/> (its digits as words of all ones or zeros), from the
    /// lowest digit up: each digit as it comes decides, and where it equals the bound's the lower digits do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector AtMost<TPlanes, TVector>(ReadOnlySpan<TVector> digits, ref ulong bound)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        var atMost = TPlanes.Broadcast(ulong.MaxValue);
        // A bound digit of 1: at most where the digit is 0 or the lower digits were; of 0: where both hold.
        for (int level = 0; level < digits.Length; level++)
            atMost = TPlanes.MajorityNotB(atMost, digits[level], TPlanes.Broadcast(Unsafe.Add(ref bound, level)));
        return atMost;
    }

    /// <summary>Lanes whose complemented digits are at most <paramref name="bound"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector AtLeast<TPlanes, TVector>(ReadOnlySpan<TVector> digits, ref ulong bound)
        where TPlanes : struct, IPlanes<TVector>
        where TVector : unmanaged
    {
        var atMost = TPlanes.Broadcast(ulong.MaxValue);
        for (int level = 0; level < digits.Length; level++)
            atMost = TPlanes.Majority(atMost, digits[level], TPlanes.Broadcast(Unsafe.Add(ref bound, level)));
        return atMost;
    }

    /// <summary>Reads one lane's distance, offset + sign * T.</summary>
    private readonly ref struct Distances<TVector>
        where TVector : unmanaged
    {
        private readonly ReadOnlySpan<ulong> _total;
        private readonly int _digits;
        private readonly int _sign;
        private readonly int _offset;

        public Distances(ReadOnlySpan<TVector> total, int sign, int offset)
        {
            _total = MemoryMarshal.Cast<TVector, ulong>(total);
            _digits = total.Length;
            _sign = sign;
            _offset = offset;
        }

        public int Of(int word, int bit)
        {
            int words = _total.Length / _digits, t = 0;
            for (int level = 0; level < _digits; level++) t += (int)(_total[level * words + word] >> bit & 1) << level;
            return _offset + _sign * t;
        }
    }

    /// <summary>Offers the distances of the passing lanes below <paramref name="codes"/>; returns the new k-th distance.</summary>
    // Optimized from the first call: a search's first blocks offer most of their lanes, before tiering would have
    // compiled it (the bench times runs of a few ms).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int Offer<TVector>(TVector within, Distances<TVector> distances, int codes, ReadOnlySpan<long> keys, Span<ulong> lanes, TopK top)
        where TVector : unmanaged
    {
        MemoryMarshal.Write(MemoryMarshal.AsBytes(lanes), in within);
        int words = Unsafe.SizeOf<TVector>() / sizeof(ulong);
        for (int w = 0; w < words && w * 64 < codes; w++)
        {
            ulong hits = lanes[w];
            if (codes - w * 64 < 64) hits &= (1UL << (codes - w * 64)) - 1;
            for (; hits != 0; hits &= hits - 1)
            {
                int bit = BitOperations.TrailingZeroCount(hits);
                int d = distances.Of(w, bit);
                if (d <= top.WorstDistance) top.Offer(keys[w * 64 + bit], d);
            }
        }
        return top.WorstDistance;
    }
}
