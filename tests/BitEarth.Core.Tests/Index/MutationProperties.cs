using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Index;

/// <summary>Upsert and remove behave like a dictionary of key to code, whether the index started empty or bulk-loaded.</summary>
public class MutationProperties
{
    [Property(MaxTest = 40)]
    public void Upserts_and_removes_match_a_dictionary_model(int seed, bool startBulk, PositiveInt operations)
    {
        var random = new Random(seed);
        int bits = new[] { 64, 128, 256 }[random.Next(3)];
        var initial = Codes.Make(random, bits, random.Next(200), clustered: true);
        var index = Codes.Build(bits, random.Next(0, 7), initial, startBulk);
        var model = initial.ToDictionary(i => i.Key, i => i.Code);
        long keyRange = 2L * initial.Count + 50;
        for (int op = 0; op < operations.Get * 37 % 3000; op++)
        {
            long key = random.NextInt64(keyRange);
            if (random.Next(3) == 0)
            {
                Assert.Equal(model.Remove(key), index.Remove(key));
            }
            else
            {
                var code = model.TryGetValue(key, out var old) && random.Next(2) == 0 ? Codes.Flipped(random, old, 1) : Codes.Uniform(random, bits);
                index.Upsert(key, code);
                model[key] = code;
            }
        }
        Assert.Equal(model.Count, index.Count);
        Assert.Equal(model.Count, index.ShardPrefixes.Sum(index.ShardSize));
        var query = Codes.Uniform(random, bits);
        var all = model.Select(p => (p.Key, p.Value)).ToList();
        Assert.Equal(Codes.BruteForce(all, query, model.Count + 1), index.Search(query, model.Count + 1).Hits);
    }

    [Property(MaxTest = 30)]
    public void Upserting_the_same_pairs_again_changes_nothing(int seed, PositiveInt size)
    {
        var random = new Random(seed);
        var items = Codes.Make(random, 128, size.Get % 300, clustered: false);
        var index = Codes.Build(128, 5, items, bulk: false);
        var query = Codes.Uniform(random, 128);
        var before = index.Search(query, 50).Hits;
        foreach (var (key, code) in items) index.Upsert(key, code);
        Assert.Equal(items.Count, index.Count);
        Assert.Equal(before, index.Search(query, 50).Hits);
    }

    [Fact]
    public void Removing_an_absent_key_returns_false()
    {
        var index = new ShardedHammingIndex(64, 3);
        index.Upsert(1, Codes.Uniform(new Random(2), 64));
        Assert.False(index.Remove(2));
        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Bulk_load_rejects_bad_input_and_reports_duplicate_keys_on_first_mutation()
    {
        var index = new ShardedHammingIndex(64, 2);
        Assert.Throws<ArgumentException>(() => index.Load([1, 2], [5UL]));
        Assert.Throws<ArgumentException>(() => new ShardedHammingIndex(24, 2).Load([1], [1UL << 30]));
        index.Load([1, 1], [5UL, 6UL]);
        Assert.Throws<InvalidOperationException>(() => index.Load([3], [7UL]));
        Assert.Throws<InvalidDataException>(() => index.Remove(1));
    }
}
