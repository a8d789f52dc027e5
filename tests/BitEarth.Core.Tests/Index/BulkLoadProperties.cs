using BitEarth.Core.Codes;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Core.Tests.Index;

/// <summary>Bulk load puts every code in the shard of its prefix, in input order, whichever pass structure and thread split it takes.</summary>
public class BulkLoadProperties
{
    [Property(MaxTest = 30)]
    public void Each_shard_holds_exactly_its_prefix_codes_in_input_order(int seed, bool clustered, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = new[] { 64, 128, 256, 24, 192 }[random.Next(5)];
        // Up to 16 prefix bits: above 10 the load sorts in two passes (groups, then shards within a group).
        int prefixBits = Math.Min(bits, random.Next(2) == 0 ? random.Next(0, 11) : random.Next(11, 17));
        var items = Codes.Make(random, bits, size.Get * 37 % 3000, clustered);
        AssertShardsMatch(items, bits, prefixBits);
    }

    [Theory]
    [InlineData(64, 16)]
    [InlineData(128, 13)]
    [InlineData(64, 6)]
    public void A_load_large_enough_to_split_over_threads_keeps_every_shard_exact_and_in_order(int bits, int prefixBits)
    {
        var random = new Random(bits + prefixBits);
        var items = Codes.Make(random, bits, 600_000, clustered: prefixBits > 10);
        AssertShardsMatch(items, bits, prefixBits);
    }

    private static void AssertShardsMatch(List<(long Key, HammingCode Code)> items, int bits, int prefixBits)
    {
        var index = Codes.Build(bits, prefixBits, items, bulk: true);
        var expected = items.GroupBy(i => i.Code.Prefix(prefixBits)).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(items.Count, index.Count);
        Assert.Equal(expected.Keys.Order(), index.ShardPrefixes.Order());
        int words = HammingCode.WordCount(bits);
        foreach (var (prefix, members) in expected)
        {
            var shard = index.ShardAt(prefix)!;
            Assert.Equal(members.Select(m => m.Key), shard.Keys.ToArray());
            Assert.Equal(members.SelectMany(m => m.Code.Words.ToArray()), shard.Codes.ToArray());
            Assert.Equal(members.Count * words, shard.Codes.Length);
        }
    }
}
