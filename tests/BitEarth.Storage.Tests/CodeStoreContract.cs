using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Storage.Tests;

/// <summary>What every <see cref="ICodeStore"/> must do; each implementation's test class derives from this.</summary>
public abstract class CodeStoreContract
{
    /// <summary>An encoder name no other test uses, so tests sharing one database never see each other's shards.</summary>
    protected string Encoder { get; } = "lsh64-" + Guid.NewGuid().ToString("N")[..12];

    protected abstract ICodeStore Store { get; }

    [Fact]
    public async Task Upserted_codes_read_back_from_their_shard_only()
    {
        var a = Code("S2A_1", Modality.S2, prefix: 3, seed: 1, "Pastures", "Water bodies");
        var b = Code("S2A_2", Modality.S2, prefix: 3, seed: 2, "Coniferous forest");
        var c = Code("S1A_1", Modality.S1, prefix: 3, seed: 3);
        foreach (var record in new[] { a, b, c })
            await Store.UpsertCodeAsync(record);

        AssertRecords([a, b], await ReadShardAsync(a.Shard));
        AssertRecords([c], await ReadShardAsync(c.Shard));
        Assert.Empty(await ReadShardAsync(CodeRecord.ShardFor(Encoder, Modality.S2, 4)));
    }

    [Fact]
    public async Task Upserting_the_same_record_twice_keeps_one()
    {
        var record = Code("S2A_dup", Modality.S2, prefix: 7, seed: 4, "Arable land");
        await Store.UpsertCodeAsync(record);
        await Store.UpsertCodeAsync(record);

        AssertRecords([record], await ReadShardAsync(record.Shard));
    }

    [Fact]
    public async Task A_new_record_under_the_same_key_replaces_the_old()
    {
        var first = Code("S2A_changed", Modality.S2, prefix: 1, seed: 5);
        var second = first with { Labels = ["Beaches, dunes, sands"], Blob = "patches/S2/moved.tif" };
        await Store.UpsertCodeAsync(first);
        await Store.UpsertCodeAsync(second);

        AssertRecords([second], await ReadShardAsync(second.Shard));
    }

    [Fact]
    public async Task Records_are_keyed_by_shard_and_id_like_cosmos_items()
    {
        var inOne = Code("S2A_two_shards", Modality.S2, prefix: 1, seed: 5);
        var inOther = Code("S2A_two_shards", Modality.S2, prefix: 2, seed: 6);
        await Store.UpsertCodeAsync(inOne);
        await Store.UpsertCodeAsync(inOther);

        AssertRecords([inOne], await ReadShardAsync(inOne.Shard));
        AssertRecords([inOther], await ReadShardAsync(inOther.Shard));
    }

    [Fact]
    public async Task Records_round_trip_every_field()
    {
        var code = Code("S1B_rt", Modality.S1, prefix: 255, seed: 7, "Sea and ocean", "Salt marshes", "Ünïcode/label");
        var patch = new PatchRecord("S1B_rt", Modality.S1, ["Sea and ocean", "Salt marshes"], "patches/S1/S1B_rt.tif",
            120, 120, "S2A_paired", new DateTimeOffset(2017, 6, 13, 10, 10, 31, TimeSpan.Zero));
        await Store.UpsertCodeAsync(code);
        await Store.UpsertPatchAsync(patch);

        AssertRecords([code], await ReadShardAsync(code.Shard));
        AssertPatch(patch, await Store.GetPatchAsync("S1B_rt"));
    }

    [Fact]
    public async Task Patch_upsert_overwrites_and_optional_fields_may_be_null()
    {
        var patchId = "EuroSAT_" + Encoder;
        var first = new PatchRecord(patchId, Modality.S2, ["Forest"], "patches/a.tif", 64, 64, "x", DateTimeOffset.UnixEpoch);
        var second = new PatchRecord(patchId, Modality.S2, [], "patches/b.tif", 64, 64, null, null);
        await Store.UpsertPatchAsync(first);
        await Store.UpsertPatchAsync(second);

        AssertPatch(second, await Store.GetPatchAsync(patchId));
        Assert.Null(await Store.GetPatchAsync("missing-" + Encoder));
    }

    [Fact]
    public async Task Active_encoder_switches_atomically_and_last_write_wins()
    {
        await Store.SetActiveEncoderAsync(Encoder + "-v1");
        Assert.Equal(Encoder + "-v1", await Store.GetActiveEncoderAsync());
        await Store.SetActiveEncoderAsync(Encoder + "-v2");
        Assert.Equal(Encoder + "-v2", await Store.GetActiveEncoderAsync());
    }

    [Fact]
    public async Task Pending_encoders_sit_beside_the_active_one_until_each_is_activated()
    {
        await AssertEncodersAsync(null);
        await Store.SetActiveEncoderAsync(Encoder + "-v1");
        await Store.AddPendingEncoderAsync(Encoder + "-v2");
        await Store.AddPendingEncoderAsync(Encoder + "-v3");
        await Store.AddPendingEncoderAsync(Encoder + "-v2"); // a replayed prepare

        await AssertEncodersAsync(Encoder + "-v1", Encoder + "-v2", Encoder + "-v3");
        Assert.Equal(Encoder + "-v1", await Store.GetActiveEncoderAsync());

        await Store.SetActiveEncoderAsync(Encoder + "-v3");
        await AssertEncodersAsync(Encoder + "-v3", Encoder + "-v2");
        await Store.SetActiveEncoderAsync(Encoder + "-v2");
        await AssertEncodersAsync(Encoder + "-v2");
    }

    [Fact]
    public async Task An_encoder_may_be_pending_before_any_is_active()
    {
        await Store.AddPendingEncoderAsync(Encoder + "-first");

        await AssertEncodersAsync(null, Encoder + "-first");
        Assert.Null(await Store.GetActiveEncoderAsync());
    }

    [Fact]
    public async Task Concurrent_prepares_and_activations_lose_no_pending_encoder()
    {
        var pending = Enumerable.Range(0, 12).Select(i => $"{Encoder}-p{i}").ToArray();
        await Store.SetActiveEncoderAsync(Encoder + "-a0");
        // Two re-indexes being prepared while others finish: each write reads, changes and writes back the one item.
        await Parallel.ForEachAsync(Enumerable.Range(0, 24), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) =>
            {
                if (i % 2 == 0) await Store.AddPendingEncoderAsync(pending[i / 2], ct);
                else await Store.SetActiveEncoderAsync($"{Encoder}-a{i}", ct);
            });

        var state = await Store.GetEncoderStateAsync();
        Assert.Equal(pending.Order(StringComparer.Ordinal), state.Pending.Order(StringComparer.Ordinal));
        Assert.StartsWith(Encoder + "-a", state.Active);
    }

    [Fact]
    public async Task Concurrent_upserts_lose_nothing_and_duplicate_nothing()
    {
        var records = Enumerable.Range(0, 200)
            .Select(i => Code($"S2A_par_{i}", Modality.S2, prefix: i % 4, seed: i, "Pastures"))
            .ToArray();
        // Every record twice, interleaved, from many tasks at once: at-least-once delivery under load.
        await Parallel.ForEachAsync(records.Concat(records), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (record, ct) => await Store.UpsertCodeAsync(record, ct));

        foreach (var shard in records.GroupBy(r => r.Shard))
            AssertRecords([.. shard], await ReadShardAsync(shard.Key));
    }

    [Fact]
    public async Task Every_upsert_stamps_the_record_with_the_clock_in_seconds()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var record = Code("S2A_stamped", Modality.S2, prefix: 6, seed: 8);
        await Store.UpsertCodeAsync(record);
        var after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var stored = Assert.Single(await ReadShardAsync(record.Shard));
        Assert.InRange(stored.Stamp, before - 1, after + 1); // the server's clock may round differently
    }

    [Fact]
    public async Task Reading_since_a_stamp_returns_exactly_the_records_written_at_or_after_it()
    {
        var old = Code("S2A_old", Modality.S2, prefix: 9, seed: 1);
        var rewritten = Code("S2A_rewritten", Modality.S2, prefix: 9, seed: 2);
        var elsewhere = Code("S2A_elsewhere", Modality.S2, prefix: 10, seed: 3);
        await Store.UpsertCodeAsync(old);
        await Store.UpsertCodeAsync(rewritten);
        // The two first writes may fall either side of a second boundary: `first` is the later stamp, `earliest`
        // the earlier one.
        var written = await ReadShardAsync(old.Shard);
        var first = written.Max(r => r.Stamp);
        var earliest = written.Min(r => r.Stamp);
        await NextSecondAsync(first);
        var added = Code("S2A_added", Modality.S2, prefix: 9, seed: 4);
        await Store.UpsertCodeAsync(added);
        await Store.UpsertCodeAsync(rewritten with { Labels = ["Pastures"] });
        await Store.UpsertCodeAsync(elsewhere);

        var changed = await ReadShardSinceAsync(old.Shard, first + 1);
        AssertRecords([added, rewritten with { Labels = ["Pastures"] }], changed);
        Assert.All(changed, r => Assert.True(r.Stamp > first));
        AssertRecords([old, added, rewritten with { Labels = ["Pastures"] }], await ReadShardSinceAsync(old.Shard, earliest));
        Assert.Empty(await ReadShardSinceAsync(old.Shard, changed.Max(r => r.Stamp) + 1));
    }

    /// <summary>The store's active encoder and its pending ones, in the order they were added.</summary>
    private async Task AssertEncodersAsync(string? active, params string[] pending)
    {
        var state = await Store.GetEncoderStateAsync();
        Assert.Equal(active, state.Active);
        Assert.Equal(pending, state.Pending);
    }

    protected CodeRecord Code(string patchId, Modality modality, int prefix, int seed, params string[] labels)
    {
        var random = new Random(seed);
        var words = new ulong[] { (ulong)random.NextInt64() << 8 | (uint)prefix };
        var code = new HammingCode(64, words);
        return new CodeRecord(CodeRecord.IdFor(Encoder, patchId), CodeRecord.ShardFor(Encoder, modality, prefix),
            patchId, Encoder, modality, code.ToBase64(), labels, $"patches/{modality}/{patchId}.tif");
    }

    protected async Task<List<CodeRecord>> ReadShardAsync(string shard)
    {
        var records = new List<CodeRecord>();
        await foreach (var record in Store.ReadShardAsync(shard))
            records.Add(record);
        return records;
    }

    protected async Task<List<CodeRecord>> ReadShardSinceAsync(string shard, long since)
    {
        var records = new List<CodeRecord>();
        await foreach (var record in Store.ReadShardSinceAsync(shard, since))
            records.Add(record);
        return records;
    }

    /// <summary>Waits until the clock is past <paramref name="stamp"/>, so the next write gets a later one.</summary>
    private static async Task NextSecondAsync(long stamp)
    {
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() <= stamp)
            await Task.Delay(50);
    }

    /// <summary>
    /// Same records in any order; labels compared by content since records compare lists by reference, and the stamp
    /// is the store's to set.
    /// </summary>
    protected static void AssertRecords(IEnumerable<CodeRecord> expected, IEnumerable<CodeRecord> actual)
    {
        var want = expected.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var got = actual.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(want.Count, got.Count);
        foreach (var (w, g) in want.Zip(got))
        {
            Assert.Equal(w.Labels, g.Labels);
            Assert.Equal(w with { Labels = g.Labels, Stamp = g.Stamp }, g);
        }
    }

    protected static void AssertPatch(PatchRecord expected, PatchRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Labels, actual.Labels);
        Assert.Equal(expected with { Labels = actual.Labels }, actual);
    }
}
