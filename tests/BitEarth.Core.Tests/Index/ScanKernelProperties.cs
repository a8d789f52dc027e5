using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Index;

/// <summary>Each scan kernel the CPU supports (scalar, Vector256, Vector512) gives the brute-force top-k, tail and ties included.</summary>
public class ScanKernelProperties
{
    private static readonly HammingScan.Kernel[] Kernels =
        Enum.GetValues<HammingScan.Kernel>().Where(HammingScan.IsSupported).ToArray();

    [Fact]
    public void This_machine_runs_a_vector_kernel_so_the_vector_properties_are_not_vacuous() =>
        Assert.Contains(HammingScan.Kernel.Vector256, Kernels);

    [Property(MaxTest = 80)]
    public void Every_kernel_equals_brute_force_at_any_length(int seed, bool clustered, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = new[] { 64, 128, 256, 192 }[random.Next(4)];
        // Lengths around and between vector widths: 0..3 codes, a few vectors plus a tail, many vectors.
        int n = random.Next(3) switch { 0 => random.Next(4), 1 => random.Next(4, 40), _ => size.Get * 13 % 700 };
        var items = Codes.Make(random, bits, n, clustered);
        var query = Codes.Query(random, items, bits);
        int k = 1 + random.Next(n + 5);
        foreach (var kernel in Kernels)
            Assert.Equal(Codes.BruteForce(items, query, k), Scan(items, bits, query, k, kernel, pieces: 1 + random.Next(3)));
    }

    [Property(MaxTest = 40)]
    public void Every_distance_from_0_to_the_code_length_is_found_and_ties_at_the_kth_place_break_by_key(int seed)
    {
        var random = new Random(seed);
        int bits = new[] { 64, 128, 256 }[random.Next(3)];
        var query = Codes.Uniform(random, bits);
        // Each distance 0..bits appears several times, so the k-th place falls inside a group of equal distances.
        int copies = 2 + random.Next(4);
        var items = Enumerable.Range(0, (bits + 1) * copies)
            .Select(i => (Key: (long)random.Next(), Code: AtDistance(random, query, i % (bits + 1))))
            .DistinctBy(i => i.Key)
            .ToList();
        foreach (int k in new[] { 1, copies + 1, 1 + random.Next(items.Count), items.Count })
        foreach (var kernel in Kernels)
        {
            var hits = Scan(items, bits, query, k, kernel, pieces: 1);
            Assert.Equal(Codes.BruteForce(items, query, k), hits);
            if (k == items.Count) Assert.Equal(bits, hits[^1].Distance);
        }
    }

    [Property(MaxTest = 80)]
    public void Every_kernel_finds_the_nearest_centroid_and_the_lowest_index_among_equals(int seed, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = new[] { 64, 128, 256, 192 }[random.Next(4)];
        int words = HammingCode.WordCount(bits);
        int n = random.Next(2) == 0 ? 1 + random.Next(20) : 1 + size.Get * 13 % 500;
        var query = Codes.Uniform(random, bits);
        // Few distinct distances (a handful of bits flipped from the query), so equal nearest distances are common.
        var centroids = new ulong[n * words];
        for (int i = 0; i < n; i++) AtDistance(random, query, random.Next(4) * random.Next(2) + random.Next(3)).Words.CopyTo(centroids.AsSpan(i * words));
        var distances = Enumerable.Range(0, n).Select(i => new HammingCode(bits, centroids.AsSpan(i * words, words).ToArray()).DistanceTo(query)).ToList();
        int expected = distances.IndexOf(distances.Min());
        foreach (var kernel in Kernels)
            Assert.Equal((expected, distances[expected]), HammingScan.Nearest(centroids, query.Words, kernel));
    }

    // Scans the items in consecutive pieces into one top-k, as shards and blocks do: later pieces start with a k-th
    // distance below the code length.
    private static List<Hit> Scan(List<(long Key, HammingCode Code)> items, int bits, HammingCode query, int k, HammingScan.Kernel kernel, int pieces)
    {
        int words = HammingCode.WordCount(bits);
        var keys = items.Select(i => i.Key).ToArray();
        var codes = new ulong[items.Count * words];
        for (int i = 0; i < items.Count; i++) items[i].Code.Words.CopyTo(codes.AsSpan(i * words));
        var top = new TopK(k, bits);
        for (int p = 0; p < pieces; p++)
        {
            int from = items.Count * p / pieces, to = items.Count * (p + 1) / pieces;
            HammingScan.Scan(codes.AsSpan(from * words, (to - from) * words), keys.AsSpan(from, to - from), query.Words, top, kernel);
        }
        return top.ToSortedList();
    }

    private static HammingCode AtDistance(Random random, HammingCode query, int distance)
    {
        var words = query.Words.ToArray();
        foreach (int bit in Enumerable.Range(0, query.Bits).OrderBy(_ => random.Next()).Take(distance))
            words[bit >> 6] ^= 1UL << (bit & 63);
        return new HammingCode(query.Bits, words);
    }
}
