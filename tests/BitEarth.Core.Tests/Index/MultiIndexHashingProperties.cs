using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Index;

/// <summary>Multi-index hashing returns exactly the brute-force top-k, ties by key, whatever the width, m, k or code shape.</summary>
public class MultiIndexHashingProperties
{
    private static readonly int[] Widths = [64, 128, 256, 8, 24, 32, 192];

    [Property(MaxTest = 80)]
    public void Search_equals_brute_force(int seed, bool clustered, bool defaultSubstrings, bool scanWhenCheaper, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        var items = Codes.Make(random, bits, size.Get * 7 % 600, clustered);
        int? m = defaultSubstrings ? null : random.Next((bits + 31) / 32, Math.Min(bits, 16) + 1);
        var index = Build(bits, items, m, scanWhenCheaper);
        for (int q = 0; q < 5; q++)
        {
            var query = Codes.Query(random, items, bits);
            int k = 1 + random.Next(items.Count + 10);
            var result = index.Search(query, k);
            Assert.Equal(Codes.BruteForce(items, query, k), result.Hits);
            Assert.InRange(result.CodesScanned, Math.Min(k, items.Count), 2 * items.Count);
        }
    }

    [Property(MaxTest = 20)]
    public void Batched_search_on_several_threads_equals_brute_force(int seed, bool clustered, PositiveInt size)
    {
        // Tables only: at these sizes the cost rule would scan at once, and the per-thread visited sets are under test.
        var random = new Random(seed);
        int bits = Widths[random.Next(3)];
        var items = Codes.Make(random, bits, size.Get * 7 % 400, clustered);
        var index = Build(bits, items, substrings: null, scanWhenCheaper: false);
        var queries = Enumerable.Range(0, 1 + random.Next(20)).Select(_ => Codes.Query(random, items, bits)).ToList();
        int k = 1 + random.Next(25);
        var results = index.SearchMany(queries, k, new SearchOptions { MaxThreads = 1 + random.Next(3) });
        for (int q = 0; q < queries.Count; q++) Assert.Equal(Codes.BruteForce(items, queries[q], k), results[q].Hits);
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    public void Identical_codes_tie_and_the_smaller_keys_win(int bits)
    {
        var random = new Random(bits);
        var shared = Codes.Uniform(random, bits);
        var items = Enumerable.Range(0, 300).Select(i => ((long)(7919L * i % 1000), i % 3 == 0 ? Codes.Uniform(random, bits) : shared)).ToList();
        var index = Build(bits, items, substrings: null, scanWhenCheaper: false);
        var result = index.Search(shared, 50);
        Assert.Equal(Codes.BruteForce(items, shared, 50), result.Hits);
        Assert.All(result.Hits, h => Assert.Equal(0, h.Distance));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    public void More_neighbours_than_codes_returns_every_code_in_order(int bits)
    {
        var random = new Random(3);
        var items = Codes.Make(random, bits, 40, clustered: false);
        var index = Build(bits, items, substrings: null);
        var query = Codes.Uniform(random, bits);
        var result = index.Search(query, 1000);
        Assert.Equal(Codes.BruteForce(items, query, 1000), result.Hits);
        Assert.InRange(result.CodesScanned, 40, 80);
    }

    [Fact]
    public void An_empty_index_finds_nothing()
    {
        var index = new MultiIndexHashing(64, [], []);
        var result = index.Search(Codes.Uniform(new Random(1), 64), 5);
        Assert.Empty(result.Hits);
        Assert.Equal(0, result.CodesScanned);
    }

    [Fact]
    public void Clustered_codes_are_found_touching_a_small_fraction()
    {
        var random = new Random(7);
        var prototypes = Enumerable.Range(0, 2048).Select(_ => Codes.Uniform(random, 64)).ToList();
        var items = Enumerable.Range(0, 200_000).Select(i => ((long)i, Codes.Flipped(random, prototypes[i % 2048], random.Next(4)))).ToList();
        var index = Build(64, items, substrings: null);
        var query = Codes.Flipped(random, prototypes[3], 1);
        var result = index.Search(query, 20);
        Assert.Equal(Codes.BruteForce(items, query, 20), result.Hits);
        Assert.True(result.CodesScanned < items.Count / 100, $"scanned {result.CodesScanned} of {items.Count}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Far_uniform_neighbours_fall_back_to_a_scan_that_stays_exact(bool scanWhenCheaper)
    {
        // Two 32-bit substrings: radius 2 alone would probe 496 values per table, more than the 100 codes.
        var random = new Random(11);
        var items = Codes.Make(random, 64, 100, clustered: false);
        var index = Build(64, items, substrings: 2, scanWhenCheaper);
        var query = Codes.Uniform(random, 64);
        var result = index.Search(query, 20);
        Assert.Equal(Codes.BruteForce(items, query, 20), result.Hits);
        Assert.InRange(result.CodesScanned, 100, 200);
    }

    [Fact]
    public void Near_neighbours_in_a_large_uniform_set_are_found_through_the_tables_alone()
    {
        var random = new Random(13);
        var items = Codes.Make(random, 64, 50_000, clustered: false);
        var index = Build(64, items, substrings: null);
        var query = Codes.Flipped(random, items[123].Code, 2);
        var result = index.Search(query, 1);
        Assert.Equal(Codes.BruteForce(items, query, 1), result.Hits);
        Assert.True(result.CodesScanned < 100, $"scanned {result.CodesScanned} of {items.Count}");
    }

    [Theory]
    [InlineData(64, 1_000_000, 3)]
    [InlineData(64, 10_000_000, 3)]
    [InlineData(128, 1_000_000, 6)]
    [InlineData(256, 1_000_000, 13)]
    [InlineData(64, 100, 10)]
    [InlineData(64, 0, 64)]
    [InlineData(256, 100_000_000_000, 8)]
    [InlineData(8, 1_000_000, 1)]
    public void Default_substrings_follow_bits_over_log2_n(int bits, long count, int expected)
    {
        Assert.Equal(expected, MultiIndexHashing.DefaultSubstrings(bits, count));
        if (count <= 1000)
        {
            var index = new MultiIndexHashing(bits, new long[count], new ulong[count * HammingCode.WordCount(bits)]);
            Assert.Equal(expected, index.Substrings);
            Assert.Equal(bits, index.SubstringLengths.Sum());
            Assert.True(index.SubstringLengths.Max() - index.SubstringLengths.Min() <= 1);
        }
    }

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var random = new Random(5);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHashing(12, [1], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHashing(320, [1], new ulong[5]));
        Assert.Throws<ArgumentException>(() => new MultiIndexHashing(128, [1, 2], new ulong[3]));
        Assert.Throws<ArgumentException>(() => new MultiIndexHashing(24, [1], [1UL << 30]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHashing(64, [1], [1], substrings: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MultiIndexHashing(64, [1], [1], substrings: 65));
        Assert.Throws<ArgumentOutOfRangeException>(() => MultiIndexHashing.DefaultSubstrings(64, -1));
        var index = new MultiIndexHashing(64, [1, 2], [3, 4]);
        Assert.Throws<ArgumentException>(() => index.Search(Codes.Uniform(random, 128), 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(Codes.Uniform(random, 64), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchMany([Codes.Uniform(random, 64)], 5, new SearchOptions { MaxThreads = 0 }));
        Assert.Throws<ArgumentException>(() => index.SearchMany([Codes.Uniform(random, 256)], 5));
        Assert.Throws<ArgumentException>(() => index.Upsert(3, Codes.Uniform(random, 128)));
    }

    [Fact]
    public void Repeated_keys_are_reported_on_the_first_mutation()
    {
        var index = new MultiIndexHashing(64, [1, 1], [5, 6]);
        Assert.Throws<InvalidDataException>(() => index.Remove(1));
    }

    private static MultiIndexHashing Build(int bits, List<(long Key, HammingCode Code)> items, int? substrings, bool scanWhenCheaper = true) =>
        Codes.MultiIndex(bits, items, substrings, scanWhenCheaper);
}
