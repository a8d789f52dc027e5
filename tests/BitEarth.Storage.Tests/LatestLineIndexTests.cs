using BitEarth.Storage.Embedded;

namespace BitEarth.Storage.Tests;

public sealed class LatestLineIndexTests
{
    [Fact]
    public void Keys_sharing_a_hash_each_keep_their_slot_and_offset_as_the_table_grows()
    {
        // Pairs of keys with one hash each (the case a 64-bit hash makes rare, not impossible), enough of them that
        // the table is rehashed many times.
        var hashes = Enumerable.Range(0, 10_000).Select(i => (ulong)(i / 2) * 0x9E3779B97F4A7C15UL).ToArray();
        var index = new LatestLineIndex();
        for (var i = 0; i < hashes.Length; i++)
            Assert.Equal(i, index.Add(hashes[i], offset: 100L * i));
        for (var i = 1; i < hashes.Length; i += 2)
            index.Move(i, 7L * i);

        Assert.Equal(hashes.Length, index.Count);
        for (var i = 0; i < hashes.Length; i++)
        {
            var slots = new List<int>();
            for (var probe = -1; index.NextWithHash(hashes[i], ref probe, out var slot);)
                slots.Add(slot);
            Assert.Equal([i & ~1, i | 1], slots.Order());
            Assert.Equal(i % 2 == 0 ? 100L * i : 7L * i, index.OffsetOf(i));
        }
        var none = -1;
        Assert.False(index.NextWithHash(hashes[^1] + 1, ref none, out _));
    }
}
