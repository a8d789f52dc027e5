using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using FsCheck;
using FsCheck.Xunit;

namespace BitEarth.Index.Tests;

public class ShardSnapshotTests
{
    [Property(MaxTest = 25)]
    public void Exporting_every_shard_and_loading_the_snapshots_rebuilds_the_same_index(int seed, PositiveInt size)
    {
        var random = new Random(seed);
        int bits = new[] { 64, 128, 256, 40 }[random.Next(4)];
        var items = Codes.Make(random, bits, size.Get * 5 % 400, clustered: random.Next(2) == 0);
        int prefixBits = random.Next(0, 7);
        var index = Codes.Build(bits, prefixBits, items, bulk: random.Next(2) == 0);
        var copy = new ShardedHammingIndex(bits, prefixBits);
        foreach (int prefix in index.ShardPrefixes) copy.LoadShard(RoundTrip(index.ExportShard(prefix)));
        Assert.Equal(index.Count, copy.Count);
        Assert.Equal(index.ShardPrefixes.Order(), copy.ShardPrefixes.Order());
        var query = Codes.Query(random, items, bits);
        Assert.Equal(Codes.BruteForce(items, query, 25), copy.Search(query, 25).Hits);
    }

    [Fact]
    public void Loading_a_shard_replaces_it_and_moves_keys_that_changed_shard()
    {
        var index = new ShardedHammingIndex(64, 2);
        index.Upsert(1, new HammingCode(64, [0b00UL]));
        index.Upsert(2, new HammingCode(64, [0b01UL]));
        index.Upsert(3, new HammingCode(64, [0b01UL | 1UL << 10]));
        // Key 1 moved from shard 0 to shard 1; key 3 was removed from shard 1.
        index.LoadShard(new ShardSnapshot(64, 2, 1, [1, 2], [0b01UL | 1UL << 20, 0b01UL]));
        Assert.Equal(2, index.Count);
        Assert.Equal(0, index.ShardSize(0));
        Assert.Equal(2, index.ShardSize(1));
        var hits = index.Search(new HammingCode(64, [0b01UL]), 5).Hits;
        Assert.Equal([new Hit(2, 0), new Hit(1, 1)], hits);
        index.Upsert(3, new HammingCode(64, [0b11UL]));
        Assert.Equal(3, index.Count);
    }

    [Fact]
    public void A_snapshot_whose_codes_are_outside_its_shard_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new ShardSnapshot(64, 2, 1, [1], [0b10UL]));

    [Fact]
    public async Task Truncated_or_foreign_streams_are_typed_format_errors()
    {
        var snapshot = new ShardSnapshot(128, 3, 5, [7, 9], [5UL, 1UL, 13UL, 2UL]);
        using var whole = new MemoryStream();
        await snapshot.WriteAsync(whole, CancellationToken.None);
        byte[] bytes = whole.ToArray();
        Assert.Equal(24 + 2 * 8 + 4 * 8, bytes.Length);

        var truncated = await Assert.ThrowsAsync<ShardSnapshotFormatException>(() => Read(bytes[..^3]));
        Assert.Contains("codes", truncated.Reason);
        var foreign = bytes.ToArray();
        foreign[0] ^= 0xFF;
        await Assert.ThrowsAsync<ShardSnapshotFormatException>(() => Read(foreign));
        var future = bytes.ToArray();
        future[4] = 2;
        await Assert.ThrowsAsync<ShardSnapshotFormatException>(() => Read(future));
        var misplaced = bytes.ToArray();
        misplaced[16] = 4;
        await Assert.ThrowsAsync<ShardSnapshotFormatException>(() => Read(misplaced));
    }

    private static ShardSnapshot RoundTrip(ShardSnapshot snapshot)
    {
        using var stream = new MemoryStream();
        snapshot.WriteAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
        stream.Position = 0;
        var read = ShardSnapshot.ReadAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
        Assert.Equal(snapshot.Keys.ToArray(), read.Keys.ToArray());
        Assert.Equal(snapshot.Codes.ToArray(), read.Codes.ToArray());
        return read;
    }

    private static async Task<ShardSnapshot> Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return await ShardSnapshot.ReadAsync(stream, CancellationToken.None);
    }
}
