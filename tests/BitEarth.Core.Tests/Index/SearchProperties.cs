using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Index;

/// <summary>Every exact path (pruned, exhaustive, batched, fanned out over shard groups) equals brute force.</summary>
public class SearchProperties
{
    private static readonly int[] Widths = [64, 128, 256, 24, 192];

    [Property(MaxTest = 60)]
    public void Sharded_search_equals_brute_force(int seed, bool clustered, bool bulk, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        var items = Codes.Make(random, bits, size.Get * 7 % 600, clustered);
        var index = Codes.Build(bits, random.Next(0, 9), items, bulk);
        for (int q = 0; q < 5; q++)
        {
            var query = Codes.Query(random, items, bits);
            int k = 1 + random.Next(30);
            var result = index.Search(query, k);
            Assert.Equal(Codes.BruteForce(items, query, k), result.Hits);
            Assert.True(result.CodesScanned <= items.Count);
        }
    }

    [Property(MaxTest = 30)]
    public void Batched_search_pruned_or_exhaustive_equals_brute_force(int seed, bool clustered, bool prune, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        var items = Codes.Make(random, bits, size.Get * 7 % 600, clustered);
        var index = Codes.Build(bits, random.Next(0, 9), items, bulk: true);
        var queries = Enumerable.Range(0, 1 + random.Next(20)).Select(_ => Codes.Query(random, items, bits)).ToList();
        int k = 1 + random.Next(25);
        var results = index.SearchMany(queries, k, new SearchOptions { Prune = prune, MaxThreads = 1 + random.Next(3) });
        for (int q = 0; q < queries.Count; q++) Assert.Equal(Codes.BruteForce(items, queries[q], k), results[q].Hits);
        if (!prune) Assert.All(results, r => Assert.Equal(items.Count, r.CodesScanned));
    }

    [Property(MaxTest = 40)]
    public void Merged_partial_top_k_over_random_shard_groups_equals_brute_force(int seed, bool clustered, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(3)];
        var items = Codes.Make(random, bits, size.Get * 7 % 500, clustered);
        var index = Codes.Build(bits, random.Next(1, 7), items, bulk: random.Next(2) == 0);
        int groups = 1 + random.Next(6);
        var groupOf = index.ShardPrefixes.ToLookup(_ => random.Next(groups));
        var query = Codes.Query(random, items, bits);
        int k = 1 + random.Next(30);
        var partials = groupOf.Select(g => index.Search(query, k, g).Hits);
        Assert.Equal(Codes.BruteForce(items, query, k), TopK.Merge(partials, k));
    }

    [Fact]
    public void Pruning_skips_shards_far_from_a_clustered_query()
    {
        var random = new Random(7);
        var prototypes = Enumerable.Range(0, 64).Select(_ => Codes.Uniform(random, 64)).ToList();
        var items = Enumerable.Range(0, 20_000).Select(i => ((long)i, Codes.Flipped(random, prototypes[i % 64], random.Next(4)))).ToList();
        var index = Codes.Build(64, 10, items, bulk: true);
        var query = Codes.Flipped(random, prototypes[3], 1);
        var result = index.Search(query, 20);
        Assert.Equal(Codes.BruteForce(items, query, 20), result.Hits);
        Assert.True(result.CodesScanned < items.Count / 10, $"scanned {result.CodesScanned} of {items.Count}");
    }

    [Fact]
    public void Searching_with_a_query_of_another_width_or_no_k_is_rejected()
    {
        var index = new ShardedHammingIndex(64, 4);
        Assert.Throws<ArgumentException>(() => index.Search(Codes.Uniform(new Random(1), 128), 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(Codes.Uniform(new Random(1), 64), 0));
    }
}
