using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Index;

/// <summary>
/// Every <see cref="IBinaryIndex"/> behaves like a dictionary of key to code searched by brute force: after a bulk
/// build, after upserts and removes (enough of them, on multi-index hashing, to rebuild its tables), pruned or not.
/// </summary>
public class BinaryIndexProperties
{
    private static readonly int[] Widths = [64, 128, 256, 24, 192];

    public enum Implementation { Flat, Sharded, MultiIndex, MultiIndexTablesOnly, Clustered, BitSliced }

    [Property(MaxTest = 60)]
    public void Search_after_upserts_and_removes_equals_brute_force(int seed, Implementation implementation, bool clustered, bool prune, PositiveInt operations)
    {
        var random = new Random(seed);
        int bits = Widths[random.Next(Widths.Length)];
        var initial = Codes.Make(random, bits, random.Next(400), clustered);
        var index = Build(implementation, bits, initial, random);
        var model = initial.ToDictionary(i => i.Key, i => i.Code);
        // Up to 2500 operations: past the 1024 changes after which multi-index hashing rebuilds its tables.
        Mutate(random, index, model, operations.Get * 37 % 2500, keyRange: 2L * initial.Count + 50);
        Assert.Equal(model.Count, index.Count);

        var all = model.Select(p => (p.Key, p.Value)).ToList();
        var queries = Enumerable.Range(0, 1 + random.Next(10)).Select(_ => Codes.Query(random, all, bits)).ToList();
        int k = 1 + random.Next(random.Next(2) == 0 ? 30 : model.Count + 5);
        var results = index.SearchMany(queries, k, new SearchOptions { Prune = prune, MaxThreads = 1 + random.Next(3) });
        for (int q = 0; q < queries.Count; q++) Assert.Equal(Codes.BruteForce(all, queries[q], k), results[q].Hits);
    }

    [Theory]
    [InlineData(Implementation.Sharded)]
    [InlineData(Implementation.MultiIndex)]
    [InlineData(Implementation.MultiIndexTablesOnly)]
    [InlineData(Implementation.Clustered)]
    [InlineData(Implementation.BitSliced)]
    public void Many_changes_to_a_large_index_stay_exact(Implementation implementation)
    {
        // 20 000 clustered codes, so the tables are probed rather than scanned; 3000 changes pass a rebuild.
        var random = new Random(17);
        var initial = Codes.Make(random, 64, 20_000, clustered: true);
        var index = Build(implementation, 64, initial, random);
        var model = initial.ToDictionary(i => i.Key, i => i.Code);
        Mutate(random, index, model, 3000, keyRange: 30_000);
        var all = model.Select(p => (p.Key, p.Value)).ToList();
        var queries = Enumerable.Range(0, 20).Select(_ => Codes.Query(random, all, 64)).ToList();
        var results = index.SearchMany(queries, 20);
        for (int q = 0; q < queries.Count; q++) Assert.Equal(Codes.BruteForce(all, queries[q], 20), results[q].Hits);
    }

    [Theory]
    [InlineData(Implementation.Flat, 1.0, 1.1)]
    [InlineData(Implementation.Sharded, 1.0, 1.1)]
    [InlineData(Implementation.MultiIndex, 1.2, 4.0)]
    [InlineData(Implementation.BitSliced, 1.0, 1.1)]
    public void Memory_counts_codes_and_keys_once_and_tables_beside_them(Implementation implementation, double atLeast, double atMost)
    {
        // A bulk build: the sharded scan packs 16 bytes per 64-bit code and key in arrays its shards share (each array
        // counted once); multi-index hashing adds its substring tables.
        var random = new Random(5);
        var items = Codes.Make(random, 64, 50_000, clustered: false);
        long raw = items.Count * (sizeof(long) + sizeof(ulong));
        IBinaryIndex index = implementation switch
        {
            Implementation.Flat => Codes.Build(64, 0, items, bulk: true),
            Implementation.Sharded => Codes.Build(64, 8, items, bulk: true),
            Implementation.BitSliced => Codes.BitSliced(64, items, bulk: true),
            _ => Codes.MultiIndex(64, items, substrings: null),
        };
        long bytes = index.MemoryBytes;
        Assert.InRange(bytes, (long)(atLeast * raw), (long)(atMost * raw));
    }

    [Theory]
    [InlineData(Implementation.Sharded)]
    [InlineData(Implementation.MultiIndex)]
    [InlineData(Implementation.Clustered)]
    [InlineData(Implementation.BitSliced)]
    public void Removing_an_absent_key_returns_false_and_upserting_the_same_pair_changes_nothing(Implementation implementation)
    {
        var random = new Random(2);
        var items = Codes.Make(random, 128, 50, clustered: false);
        var index = Build(implementation, 128, items, random);
        Assert.False(index.Remove(-1));
        foreach (var (key, code) in items) index.Upsert(key, code);
        Assert.Equal(items.Count, index.Count);
        Assert.True(index.Remove(items[0].Key));
        Assert.False(index.Remove(items[0].Key));
        Assert.Equal(items.Count - 1, index.Count);
        Assert.Throws<ArgumentException>(() => index.Upsert(1, Codes.Uniform(random, 64)));
    }

    [Theory]
    [InlineData(Implementation.Flat)]
    [InlineData(Implementation.Sharded)]
    [InlineData(Implementation.MultiIndex)]
    [InlineData(Implementation.Clustered)]
    [InlineData(Implementation.BitSliced)]
    public void A_search_with_a_wrong_length_query_a_k_below_1_or_no_threads_is_refused_in_the_same_words(Implementation implementation)
    {
        var random = new Random(3);
        var index = Build(implementation, 64, Codes.Make(random, 64, 40, clustered: false), random);
        var query = Codes.Uniform(random, 64);
        var length = Assert.Throws<ArgumentException>(() => index.SearchMany([query, Codes.Uniform(random, 128)], 5));
        Assert.StartsWith("Index holds 64-bit codes, got a 128-bit query.", length.Message);
        var k = Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchMany([query], 0));
        Assert.Equal(0, k.ActualValue);
        Assert.StartsWith("k must be at least 1.", k.Message);
        var threads = Assert.Throws<ArgumentOutOfRangeException>(() => index.SearchMany([query], 5, new SearchOptions { MaxThreads = 0 }));
        Assert.StartsWith("MaxThreads must be at least 1.", threads.Message);
    }

    private static void Mutate(Random random, IBinaryIndex index, Dictionary<long, HammingCode> model, int operations, long keyRange)
    {
        for (int op = 0; op < operations; op++)
        {
            long key = random.NextInt64(keyRange);
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(key), index.Remove(key));
            }
            else
            {
                var code = model.TryGetValue(key, out var old) && random.Next(2) == 0
                    ? Codes.Flipped(random, old, random.Next(2))
                    : Codes.Uniform(random, index.Bits);
                index.Upsert(key, code);
                model[key] = code;
            }
        }
    }

    private static IBinaryIndex Build(Implementation implementation, int bits, List<(long Key, HammingCode Code)> items, Random random) =>
        implementation switch
        {
            Implementation.Flat => Codes.Build(bits, 0, items, bulk: random.Next(2) == 0),
            Implementation.Sharded => Codes.Build(bits, random.Next(1, 9), items, bulk: random.Next(2) == 0),
            Implementation.MultiIndex => Codes.MultiIndex(bits, items, substrings: null, scanWhenCheaper: true),
            Implementation.MultiIndexTablesOnly => Codes.MultiIndex(bits, items, substrings: null, scanWhenCheaper: false),
            Implementation.Clustered => Codes.Clustered(bits, items, lists: random.Next(2) == 0 ? null : 1 + random.Next(40)),
            _ => Codes.BitSliced(bits, items, bulk: random.Next(2) == 0),
        };
}
