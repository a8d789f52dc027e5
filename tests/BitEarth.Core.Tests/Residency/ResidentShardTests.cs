using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Tests.Residency;

/// <summary>
/// A shard takes batches of upserts by merging them into its sorted arrays: in place while the room a snapshot was
/// loaded with lasts, into larger arrays after; keys stay strictly ascending and every code, entry and overlay record
/// is the one a plain dictionary of the same upserts holds.
/// </summary>
public sealed class ResidentShardTests
{
    private const int Words = 2;

    [Fact]
    public void Random_batches_merge_like_a_dictionary_of_the_same_upserts()
    {
        var random = new Random(11);
        var (shard, expected) = Snapshot(random, count: 500, spare: 200);
        for (int round = 0; round < 60; round++)
        {
            // Held keys and new ones (some between held ones, some beyond either end), each at most once per batch.
            var batch = new Dictionary<long, ShardChange>();
            int size = random.Next(0, 40);
            for (int c = 0; c < size; c++)
            {
                long key = random.Next(3) == 0 && expected.Count > 0
                    ? expected.Keys.ElementAt(random.Next(expected.Count))
                    : random.NextInt64(-1000, long.MaxValue);
                batch[key] = Change(key, random);
            }
            shard.UpsertMany([.. batch.Values.OrderBy(c => c.Key)]);
            foreach (var change in batch.Values) expected[change.Key] = (change.Words, ResidentShard.InOverlay, change.Record);

            AssertHolds(expected, shard);
        }
        Assert.True(expected.Count > 700, "the batches must outgrow the room the snapshot was loaded with");
    }

    [Fact]
    public void A_batch_within_the_spare_room_merges_in_place_and_one_beyond_it_moves_to_larger_arrays()
    {
        var random = new Random(5);
        var (shard, expected) = Snapshot(random, count: 100, spare: 10);
        var arrays = shard.KeyArray;

        var within = Enumerable.Range(0, 10).Select(_ => Change(random.NextInt64(), random)).Append(Change(expected.Keys.First(), random)).OrderBy(c => c.Key).ToList();
        shard.UpsertMany(within);
        foreach (var change in within) expected[change.Key] = (change.Words, ResidentShard.InOverlay, change.Record);
        Assert.Same(arrays, shard.KeyArray);
        AssertHolds(expected, shard);

        var beyond = Enumerable.Range(0, 2).Select(_ => Change(random.NextInt64(), random)).OrderBy(c => c.Key).ToList();
        shard.UpsertMany(beyond);
        foreach (var change in beyond) expected[change.Key] = (change.Words, ResidentShard.InOverlay, change.Record);
        Assert.NotSame(arrays, shard.KeyArray);
        AssertHolds(expected, shard);
    }

    [Fact]
    public void A_batch_of_held_keys_only_replaces_their_codes_in_place()
    {
        var random = new Random(8);
        var (shard, expected) = Snapshot(random, count: 50, spare: 0);
        var arrays = shard.KeyArray;

        var batch = expected.Keys.Where((_, i) => i % 7 == 0).Select(key => Change(key, random)).OrderBy(c => c.Key).ToList();
        shard.UpsertMany(batch);
        foreach (var change in batch) expected[change.Key] = (change.Words, ResidentShard.InOverlay, change.Record);

        Assert.Same(arrays, shard.KeyArray);
        AssertHolds(expected, shard);
    }

    /// <summary>A shard as a snapshot loads it: sorted keys with entry offsets, and <paramref name="spare"/> free slots.</summary>
    private static (ResidentShard Shard, SortedDictionary<long, (ulong[] Words, uint Entry, CodeRecord? Record)> Expected) Snapshot(
        Random random, int count, int spare)
    {
        var expected = new SortedDictionary<long, (ulong[] Words, uint Entry, CodeRecord? Record)>();
        while (expected.Count < count)
            expected[random.NextInt64(0, long.MaxValue)] = ([(ulong)random.NextInt64(), (ulong)random.NextInt64()], (uint)random.Next(1, int.MaxValue), null);
        var keys = new long[count + spare];
        var codes = new ulong[(count + spare) * Words];
        var entries = new uint[count + spare];
        int slot = 0;
        foreach (var (key, held) in expected)
        {
            keys[slot] = key;
            held.Words.CopyTo(codes, slot * Words);
            entries[slot++] = held.Entry;
        }
        return (new ResidentShard(Words, null, keys, codes, entries, count), expected);
    }

    private static ShardChange Change(long key, Random random)
    {
        var record = new CodeRecord($"id{key}", "shard", $"patch{key}", "enc", Modality.S2, "code", [], "blob");
        return new ShardChange(key, [(ulong)random.NextInt64(), (ulong)random.NextInt64()], record);
    }

    private static void AssertHolds(SortedDictionary<long, (ulong[] Words, uint Entry, CodeRecord? Record)> expected, ResidentShard shard)
    {
        Assert.Equal(expected.Keys, shard.Keys.ToArray()); // the dictionary's order: strictly ascending
        int slot = 0;
        foreach (var (key, held) in expected)
        {
            Assert.Equal(held.Words, shard.CodeAt(slot).ToArray());
            Assert.Equal(held.Entry, shard.EntryAt(slot));
            Assert.Same(held.Record, shard.OverlayRecord(key));
            slot++;
        }
        Assert.Equal(expected.Values.Count(v => v.Record is not null), shard.OverlayCount);
    }
}
