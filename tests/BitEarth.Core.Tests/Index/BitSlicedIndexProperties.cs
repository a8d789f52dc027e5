using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Index;

/// <summary>
/// The bit-sliced index, through each kernel the CPU runs, answers like the flat row scan and brute force: any width
/// (odd ones and those not a multiple of 64 too), counts around and between blocks of 512, k past the count, after
/// upserts, overwrites and removes; and it rejects bad input as the other indexes do.
/// </summary>
public class BitSlicedIndexProperties
{
    private static readonly int[] Widths = [64, 128, 256, 8, 24, 72, 200];

    private static readonly BitSlicedScan.Kernel[] Kernels =
        Enum.GetValues<BitSlicedScan.Kernel>().Where(BitSlicedScan.IsSupported).ToArray();

    [Fact]
    public void This_machine_runs_a_vector_kernel_so_the_vector_properties_are_not_vacuous() =>
        Assert.Contains(BitSlicedScan.Kernel.Vector256, Kernels);

    [Property(MaxTest = 40)]
    public void Every_kernel_equals_the_flat_scan_and_brute_force(int seed, bool clustered, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        // Empty, within one block, just around a block's end, several blocks with a partial last one.
        int n = random.Next(4) switch { 0 => random.Next(3), 1 => random.Next(3, 512), 2 => 510 + random.Next(5), _ => size.Get * 97 % 2100 };
        var items = Codes.Make(random, bits, n, clustered);
        // Sometimes more queries than one group of the index's passes holds (128).
        var queries = Enumerable.Range(0, 1 + random.Next(random.Next(4) == 0 ? 300 : 70)).Select(_ => Codes.Query(random, items, bits)).ToList();
        int k = 1 + random.Next(random.Next(2) == 0 ? 25 : n + 5);
        var flat = Codes.Build(bits, 0, items, bulk: true).SearchMany(queries, k, new SearchOptions { Prune = false, MaxThreads = 1 });
        foreach (var kernel in Kernels)
        {
            var results = BitSliced(bits, items, kernel).SearchMany(queries, k, new SearchOptions { MaxThreads = 1 + random.Next(3) });
            for (int q = 0; q < queries.Count; q++)
            {
                Assert.Equal(Codes.BruteForce(items, queries[q], k), results[q].Hits);
                Assert.Equal(flat[q].Hits, results[q].Hits);
            }
        }
    }

    [Property(MaxTest = 30)]
    public void Every_distance_from_0_to_the_code_length_is_counted_and_ties_at_the_kth_place_break_by_key(int seed)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        var query = Codes.Uniform(random, bits);
        // Each distance 0..bits appears several times, so every counter digit is used and the k-th place falls inside
        // a group of equal distances.
        int copies = 2 + random.Next(4);
        var items = Enumerable.Range(0, (bits + 1) * copies)
            .Select(i => (Key: (long)random.Next(), Code: AtDistance(random, query, i % (bits + 1))))
            .DistinctBy(i => i.Key)
            .ToList();
        foreach (var kernel in Kernels)
        {
            var index = BitSliced(bits, items, kernel);
            foreach (int k in new[] { 1, copies + 1, 1 + random.Next(items.Count), items.Count })
            {
                var hits = index.Search(query, k).Hits;
                Assert.Equal(Codes.BruteForce(items, query, k), hits);
                if (k == items.Count) Assert.Equal(bits, hits[^1].Distance);
            }
        }
    }

    [Property(MaxTest = 30)]
    public void After_upserts_overwrites_and_removes_search_equals_brute_force(int seed, bool bulk, PositiveInt operations)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        var initial = Codes.Make(random, bits, random.Next(1200), clustered: random.Next(2) == 0);
        foreach (var kernel in Kernels)
        {
            var index = Codes.BitSliced(bits, initial, bulk, kernel);
            var model = initial.ToDictionary(i => i.Key, i => i.Code);
            var changes = new Random(seed + 1);
            for (int op = 0, ops = operations.Get * 31 % 2000; op < ops; op++)
            {
                long key = changes.NextInt64(2L * initial.Count + 600);
                if (changes.Next(3) == 0)
                {
                    Assert.Equal(model.Remove(key), index.Remove(key));
                    continue;
                }
                var code = model.TryGetValue(key, out var old) && changes.Next(2) == 0
                    ? Codes.Flipped(changes, old, changes.Next(3))
                    : Codes.Uniform(changes, bits);
                index.Upsert(key, code);
                model[key] = code;
            }
            Assert.Equal(model.Count, index.Count);
            var all = model.Select(p => (p.Key, p.Value)).ToList();
            var queries = Enumerable.Range(0, 1 + random.Next(20)).Select(_ => Codes.Query(random, all, bits)).ToList();
            int k = 1 + random.Next(random.Next(2) == 0 ? 30 : model.Count + 5);
            var results = index.SearchMany(queries, k, new SearchOptions { MaxThreads = 2 });
            for (int q = 0; q < queries.Count; q++) Assert.Equal(Codes.BruteForce(all, queries[q], k), results[q].Hits);
        }
    }

    [Property(MaxTest = 20)]
    public void Codes_read_back_out_of_the_planes_are_those_loaded(int seed)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        var items = Codes.Make(random, bits, random.Next(1500), clustered: false);
        var index = BitSliced(bits, items, BitSlicedScan.Best);
        for (int slot = 0; slot < items.Count; slot++) Assert.Equal(items[slot].Code, index.CodeAt(slot));
    }

    [Fact]
    public void A_64_by_64_transpose_moves_bit_j_of_row_i_to_bit_i_of_row_j()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 64).Select(_ => (ulong)random.NextInt64() ^ (ulong)random.Next(2) << 63).ToArray();
        var transposed = rows.ToArray();
        BitSlicedHammingIndex.TransposeSquare(transposed);
        for (int i = 0; i < 64; i++)
            for (int j = 0; j < 64; j++)
                Assert.Equal(rows[i] >> j & 1, transposed[j] >> i & 1);
    }

    [Fact]
    public void Memory_is_the_codes_and_keys_of_full_blocks()
    {
        var random = new Random(5);
        var items = Codes.Make(random, 128, 5 * 512, clustered: false);
        Assert.Equal(5 * 512 * (16 + 8), BitSliced(128, items, BitSlicedScan.Best).MemoryBytes);
    }

    [Fact]
    public void Bad_input_is_rejected_as_by_the_other_indexes()
    {
        var random = new Random(9);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitSlicedHammingIndex(60));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitSlicedHammingIndex(264));
        var items = Codes.Make(random, 64, 700, clustered: false);
        var index = BitSliced(64, items, BitSlicedScan.Best);
        Assert.Throws<ArgumentException>(() => index.Upsert(1, Codes.Uniform(random, 128)));
        Assert.Throws<ArgumentException>(() => index.SearchMany([Codes.Uniform(random, 128)], 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchMany([Codes.Uniform(random, 64)], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchMany([Codes.Uniform(random, 64)], 5, new SearchOptions { MaxThreads = 0 }));
        Assert.Throws<InvalidOperationException>(() => index.Load([1], [1UL]));
        Assert.Throws<ArgumentException>(() => new BitSlicedHammingIndex(64).Load([1, 2], [1UL]));
        Assert.Throws<ArgumentException>(() => new BitSlicedHammingIndex(24).Load([1], [1UL << 30]));
        var duplicated = new BitSlicedHammingIndex(64);
        duplicated.Load([7, 8, 7], [1UL, 2UL, 3UL]);
        Assert.Throws<InvalidDataException>(() => duplicated.Remove(8));
        Assert.False(index.Remove(-1));
        Assert.True(index.Remove(items[0].Key));
        Assert.False(index.Remove(items[0].Key));
        Assert.Equal(items.Count - 1, index.Count);
    }

    private static HammingCode AtDistance(Random random, HammingCode query, int distance)
    {
        var words = query.Words.ToArray();
        foreach (int bit in Enumerable.Range(0, query.Bits).OrderBy(_ => random.Next()).Take(distance))
            words[bit >> 6] ^= 1UL << (bit & 63);
        return new HammingCode(query.Bits, words);
    }

    private static BitSlicedHammingIndex BitSliced(int bits, List<(long Key, HammingCode Code)> items, BitSlicedScan.Kernel kernel) =>
        Codes.BitSliced(bits, items, bulk: true, kernel);
}
