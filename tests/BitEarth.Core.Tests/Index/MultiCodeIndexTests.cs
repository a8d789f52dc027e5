using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;

namespace BitEarth.Core.Tests.Index;

public class MultiCodeIndexTests
{
    public static TheoryData<int, MultiCodeMatching> Cases() => new()
    {
        { 16, MultiCodeMatching.NearestPair }, { 16, MultiCodeMatching.EveryQueryCode },
        { 64, MultiCodeMatching.NearestPair }, { 64, MultiCodeMatching.EveryQueryCode },
        { 128, MultiCodeMatching.EveryQueryCode },
    };

    /// <summary>16-bit codes make many ties, so the tie order (by key) is checked too.</summary>
    [Theory, MemberData(nameof(Cases))]
    public void Search_equals_brute_force_over_code_sets(int bits, MultiCodeMatching matching)
    {
        var random = new Random(bits + (int)matching);
        var patches = Enumerable.Range(0, 300).Select(i => (Key: (long)random.Next(), Codes: Codes(random, bits, 1 + random.Next(5)))).ToList();
        var index = new MultiCodeIndex(bits);
        foreach (var (key, codes) in patches) index.Add(key, codes);
        Assert.Equal(300, index.Count);
        Assert.Equal(patches.Sum(p => p.Codes.Count), index.CodeCount);

        for (int q = 0; q < 20; q++)
        {
            var query = Codes(random, bits, 1 + random.Next(4));
            var expected = patches.Select(p => new Hit(p.Key, MultiCodeDistance.Of(query, p.Codes, matching))).Order().ToList();
            foreach (int k in new[] { 1, 7, 50, 400 })
                Assert.Equal(expected.Take(k), index.Search(query, k, matching));
        }
    }

    /// <summary>
    /// Thousands of codes, so the scan runs over many blocks whose edges fall between patches, and one patch holding
    /// more codes than a block, which must still be scanned whole.
    /// </summary>
    [Theory]
    [InlineData(24, MultiCodeMatching.EveryQueryCode)]
    [InlineData(64, MultiCodeMatching.NearestPair)]
    [InlineData(64, MultiCodeMatching.EveryQueryCode)]
    [InlineData(192, MultiCodeMatching.NearestPair)]
    public void Search_over_many_blocks_equals_brute_force(int bits, MultiCodeMatching matching)
    {
        var random = new Random(bits * 3 + (int)matching);
        var patches = Enumerable.Range(0, 2500).Select(i => (Key: (long)i, Codes: Codes(random, bits, 1 + random.Next(5)))).ToList();
        patches.Insert(1200, (Key: 99_999L, Codes: Codes(random, bits, 1500)));
        var index = new MultiCodeIndex(bits);
        foreach (var (key, codes) in patches) index.Add(key, codes);

        for (int q = 0; q < 6; q++)
        {
            var query = q == 0 ? patches[1200].Codes.Take(2).ToList() : Codes(random, bits, 1 + random.Next(4));
            var expected = patches.Select(p => new Hit(p.Key, MultiCodeDistance.Of(query, p.Codes, matching))).Order().Take(30).ToList();
            Assert.Equal(expected, index.Search(query, 30, matching));
        }
    }

    [Fact]
    public void Every_query_code_must_be_matched_under_the_every_code_rule()
    {
        var a = Code(64, 0UL);
        var b = Code(64, ulong.MaxValue);
        var index = new MultiCodeIndex(64);
        index.Add(1, [a]);
        index.Add(2, [a, b]);
        Assert.Equal([new Hit(2, 0), new Hit(1, 64)], index.Search([a, b], 2, MultiCodeMatching.EveryQueryCode));
        Assert.Equal([new Hit(1, 0), new Hit(2, 0)], index.Search([a, b], 2, MultiCodeMatching.NearestPair));
    }

    [Fact]
    public void Codes_of_another_width_and_empty_sets_are_refused()
    {
        var index = new MultiCodeIndex(64);
        Assert.Throws<ArgumentException>(() => index.Add(1, [Code(32, 1)]));
        Assert.Throws<ArgumentException>(() => index.Add(1, []));
        Assert.Throws<ArgumentException>(() => index.Search([], 3, MultiCodeMatching.NearestPair));
    }

    private static List<HammingCode> Codes(Random random, int bits, int count) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            var words = new ulong[HammingCode.WordCount(bits)];
            for (int w = 0; w < words.Length; w++)
                words[w] = ((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63)) & (bits - 64 * w >= 64 ? ulong.MaxValue : (1UL << (bits - 64 * w)) - 1);
            return new HammingCode(bits, words);
        }).ToList();

    private static HammingCode Code(int bits, ulong word) =>
        new(bits, [bits >= 64 ? word : word & ((1UL << bits) - 1)]);
}
