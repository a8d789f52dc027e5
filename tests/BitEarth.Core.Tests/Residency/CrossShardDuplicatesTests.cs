using BitEarth.Core.Residency;

namespace BitEarth.Core.Tests.Residency;

/// <summary>
/// The keys found in more than one shard, compared range by range through a small bitmap, are exactly those a group-by
/// over every key finds, whether the shards hold one range's worth of keys or many, and at both ends of the key space.
/// </summary>
public sealed class CrossShardDuplicatesTests
{
    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(3000, 40, 2)]
    [InlineData(200_000, 300, 3)]
    public void Finds_exactly_the_keys_of_two_or_more_shards(int count, int duplicates, int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, 16).Select(_ => new HashSet<long>()).ToArray();
        for (int i = 0; i < count; i++) keys[random.Next(keys.Length)].Add(random.NextInt64(0, long.MaxValue));
        long[] planted = [.. Enumerable.Range(0, duplicates).Select(_ => random.NextInt64(0, long.MaxValue)), .. duplicates > 0 ? new[] { 0L, long.MaxValue } : []];
        foreach (long key in planted)
            foreach (int shard in Enumerable.Range(0, keys.Length).OrderBy(_ => random.Next()).Take(random.Next(2, 4)))
                keys[shard].Add(key);
        var shards = keys.Select(Shard).ToArray();

        var expected = keys.SelectMany((held, s) => held.Select(key => (Key: key, Shard: s)))
            .GroupBy(k => k.Key).Where(g => g.Count() > 1).OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Select(k => k.Shard).Order().ToArray())).ToList();
        var found = CrossShardDuplicates.Find(shards);

        Assert.True(expected.Count >= planted.Length);
        Assert.Equal(expected.Select(e => e.Key), found.Select(f => f.Key));
        Assert.Equal(expected.Select(e => e.Item2), found.Select(f => f.Shards));
    }

    private static ResidentShard Shard(HashSet<long> keys)
    {
        var sorted = keys.Order().ToArray();
        return new ResidentShard(1, null, sorted, new ulong[sorted.Length], new uint[sorted.Length], sorted.Length);
    }
}
