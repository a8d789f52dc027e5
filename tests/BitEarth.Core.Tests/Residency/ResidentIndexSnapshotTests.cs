using BitEarth.Core.Codes;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.Storage.Embedded;

namespace BitEarth.Core.Tests.Residency;

public sealed class ResidentIndexSnapshotTests : IDisposable
{
    private readonly EmbeddedArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task Loading_from_snapshots_and_the_changes_since_equals_loading_item_by_item()
    {
        var old = await _archive.WriteCodesAsync(1500, seed: 1);
        await TouchEveryShardAsync(seed: 2);
        Assert.Equal(32, (await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder)).ShardsWritten);
        Later(60);
        await _archive.WriteCodesAsync(40, seed: 3);
        foreach (var record in old.Take(20)) await _archive.Store.UpsertCodeAsync(record with { Labels = ["Relabelled"] });

        var fromSnapshots = await _archive.LoadAsync();
        var itemByItem = await _archive.LoadAsync(snapshots: false);

        Assert.Equal(new ResidentIndexLoad(32, 0, 0, fromSnapshots.Loaded!.RecordsFromSnapshots, fromSnapshots.Loaded.RecordsFromStore, fromSnapshots.Loaded.Elapsed), fromSnapshots.Loaded);
        Assert.Equal(await Contents(itemByItem), await Contents(fromSnapshots));
        Assert.Equal(itemByItem.Count, fromSnapshots.Count);
        Assert.Contains(await Contents(fromSnapshots), hit => hit.Labels == "Relabelled");
    }

    [Fact]
    public async Task With_a_fresh_snapshot_only_the_overlap_and_later_writes_are_read_from_the_store()
    {
        await _archive.WriteCodesAsync(2000, seed: 1);
        var touch = await TouchEveryShardAsync(seed: 2);
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        Later(60);
        await _archive.WriteCodesAsync(10, seed: 3);
        var counting = new CountingCodeStore(_archive.Store);

        var index = await _archive.LoadAsync(counting);

        Assert.Equal(0, counting.WholeShardReads);
        Assert.Equal(32, counting.SinceReads);
        // The newest second of each shard is read again (a write may have landed in it after the snapshot), nothing older.
        Assert.Equal(touch.Count + 10, counting.RecordsFromSinceReads);
        Assert.Equal(2000 + touch.Count + 10, index.Count);
        Assert.Equal(2000 + touch.Count, index.Loaded!.RecordsFromSnapshots);
    }

    [Fact]
    public async Task Without_snapshots_every_shard_is_read_whole()
    {
        await _archive.WriteCodesAsync(300, seed: 1);
        var counting = new CountingCodeStore(_archive.Store);

        var index = await _archive.LoadAsync(counting);

        Assert.Equal((32, 0, 300L), (counting.WholeShardReads, counting.SinceReads, counting.RecordsFromWholeReads));
        Assert.Equal((0, 32), (index.Loaded!.ShardsFromSnapshots, index.Loaded.ShardsReadWhole));
    }

    [Fact]
    public async Task A_corrupt_snapshot_is_refused_and_its_shard_read_whole_and_its_snapshot_rewritten()
    {
        await _archive.WriteCodesAsync(500, seed: 1);
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        var name = CodeShardSnapshot.BlobName(_archive.Encoder, Modality.S2, 7);
        await _archive.Blobs.WriteAsync(Containers.Snapshots, name, new MemoryStream([1, 2, 3, 4]));

        var index = await _archive.LoadAsync();

        Assert.Equal((31, 1, 1), (index.Loaded!.ShardsFromSnapshots, index.Loaded.ShardsReadWhole, index.Loaded.SnapshotsRefused));
        Assert.Equal(await Contents(await _archive.LoadAsync(snapshots: false)), await Contents(index));
        Assert.NotNull(await CodeShardSnapshot.ReadBlobAsync(_archive.Blobs, _archive.Encoder, Modality.S2, 7, CancellationToken.None));
        var again = await _archive.LoadAsync();
        Assert.Equal((32, 0, 0), (again.Loaded!.ShardsFromSnapshots, again.Loaded.ShardsReadWhole, again.Loaded.SnapshotsRefused));
        var refresh = await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        Assert.Equal((0, 32), (refresh.ShardsWritten, refresh.ShardsUnchanged));
    }

    [Fact]
    public async Task Snapshots_taken_from_another_store_are_never_loaded()
    {
        await _archive.WriteCodesAsync(300, seed: 1);
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        var otherFolder = Directory.CreateTempSubdirectory("bitearth-other-store-").FullName;
        try
        {
            using var other = new EmbeddedCodeStore(otherFolder);
            await other.UpsertCodeAsync(SyntheticCodes.Record(_archive.Encoder, "S2_only_here", Modality.S2, 64, 4, new Random(1)));

            var index = await ResidentIndex.LoadAsync(other, _archive.Blobs, _archive.Encoder, 64, _archive.Options, CancellationToken.None);

            Assert.Equal(1, index.Count);
            Assert.Equal((0, 32, 32), (index.Loaded!.ShardsFromSnapshots, index.Loaded.ShardsReadWhole, index.Loaded.SnapshotsRefused));
        }
        finally
        {
            Directory.Delete(otherFolder, recursive: true);
        }
    }

    [Fact]
    public async Task The_writer_rewrites_only_shards_that_changed()
    {
        await _archive.WriteCodesAsync(400, seed: 1);
        var first = await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        var again = await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        Later(60);
        var added = (await _archive.WriteCodesAsync(1, seed: 9)).Single();
        var after = await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);

        Assert.Equal((32, 0, 400L), (first.ShardsWritten, first.ShardsUnchanged, first.Records));
        Assert.Equal((0, 32), (again.ShardsWritten, again.ShardsUnchanged));
        Assert.Equal((1, 31, 401L), (after.ShardsWritten, after.ShardsUnchanged, after.Records));
        var prefix = Convert.ToInt32(added.Shard[^2..], 16);
        var snapshot = await CodeShardSnapshot.ReadBlobAsync(_archive.Blobs, _archive.Encoder, added.Modality, prefix, CancellationToken.None);
        Assert.Equal(_archive.Clock.Now.ToUnixTimeSeconds(), snapshot!.Stamp);
        Assert.Contains(snapshot.Records, r => r.PatchId == added.PatchId);
    }

    [Fact]
    public async Task A_patch_rehashed_into_another_shard_keeps_only_its_latest_code()
    {
        var random = new Random(5);
        var first = SyntheticCodes.Record(_archive.Encoder, "S2_moved", Modality.S2, 64, 4, random);
        CodeRecord moved;
        do moved = SyntheticCodes.Record(_archive.Encoder, "S2_moved", Modality.S2, 64, 4, random);
        while (moved.Shard == first.Shard);
        await _archive.Store.UpsertCodeAsync(first);
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        Later(30);
        await _archive.Store.UpsertCodeAsync(moved); // the old record stays in its shard: codes are never deleted

        foreach (var index in new[] { await _archive.LoadAsync(), await _archive.LoadAsync(snapshots: false) })
        {
            Assert.Equal(1, index.Count);
            var hit = Assert.Single(await index.SearchAsync(Modality.S2, HammingCode.FromBase64(moved.Code), 5));
            Assert.Equal((0, moved.Code), (hit.Distance, hit.Record.Code));
        }
    }

    [Fact]
    public async Task An_older_record_of_a_patch_does_not_replace_a_newer_one()
    {
        var random = new Random(6);
        var older = SyntheticCodes.Record(_archive.Encoder, "S2_p", Modality.S2, 64, 4, random) with { Stamp = 100 };
        var newer = SyntheticCodes.Record(_archive.Encoder, "S2_p", Modality.S2, 64, 4, random) with { Stamp = 200 };
        var unstamped = SyntheticCodes.Record(_archive.Encoder, "S2_p", Modality.S2, 64, 4, random);
        var index = new ResidentIndex(_archive.Encoder, 64, 4);

        await index.ApplyAsync([newer]);
        await index.ApplyAsync([older]);
        Assert.Equal(newer.Code, (await Only(index)).Code);
        await index.ApplyAsync([unstamped]); // just written by this process: the store has not stamped it yet
        Assert.Equal(unstamped.Code, (await Only(index)).Code);
    }

    [Fact]
    public async Task A_second_cache_sees_a_patch_the_first_ingested_once_its_refresh_interval_passes()
    {
        var options = _archive.Options with { IndexRefreshInterval = TimeSpan.FromMilliseconds(300) };
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        var writer = new ResidentIndexCache(_archive.Store, _archive.Encoders, options, _archive.Blobs);
        var reader = new ResidentIndexCache(_archive.Store, _archive.Encoders, options, _archive.Blobs);
        var ingestor = new PatchIngestor(_archive.Blobs, _archive.Store, _archive.Encoders, writer, options);
        var blobs = SyntheticArchive.Generate(3, seed: 4).ToList();
        foreach (var blob in blobs) await _archive.Blobs.WriteAsync(Containers.Patches, blob.Name, new MemoryStream(blob.Content));
        foreach (var blob in blobs.Take(4)) await ingestor.IngestAsync(blob.Name);
        Assert.Equal(4, (await writer.GetAsync(_archive.Encoder)).Count);
        Assert.Equal(4, (await reader.GetAsync(_archive.Encoder)).Count);

        await ingestor.IngestAsync(blobs[4].Name);
        await ingestor.IngestAsync(blobs[5].Name);

        Assert.Equal(6, (await writer.GetAsync(_archive.Encoder)).Count); // applied directly in the writing process
        await Task.Delay(options.IndexRefreshInterval);
        var seen = await reader.GetAsync(_archive.Encoder);
        Assert.Equal(6, seen.Count);
        var record = Assert.Single(await ReadAllAsync(), r => r.Blob == blobs[5].Name);
        var hit = (await seen.SearchAsync(record.Modality, HammingCode.FromBase64(record.Code), 1)).Single();
        Assert.Equal((0, record.PatchId), (hit.Distance, hit.Record.PatchId));
    }

    [Fact]
    public async Task Between_refreshes_a_cache_answers_from_what_it_has()
    {
        var options = _archive.Options with { IndexRefreshInterval = TimeSpan.FromHours(1) };
        await _archive.WriteCodesAsync(50, seed: 1);
        var cache = new ResidentIndexCache(_archive.Store, _archive.Encoders, options, _archive.Blobs);
        Assert.Equal(50, (await cache.GetAsync(_archive.Encoder)).Count);

        await _archive.WriteCodesAsync(5, seed: 2);

        Assert.Equal(50, (await cache.GetAsync(_archive.Encoder)).Count);
    }

    [Fact]
    public async Task A_refresh_that_fails_on_one_shard_applies_nothing_and_the_next_one_applies_every_change()
    {
        var options = _archive.Options with { IndexRefreshInterval = TimeSpan.Zero };
        await _archive.WriteCodesAsync(50, seed: 1);
        var counting = new CountingCodeStore(_archive.Store);
        var index = await _archive.LoadAsync(counting);
        Later(60);
        await _archive.WriteCodesAsync(40, seed: 2);

        counting.FailingSinceRead = counting.SinceReads + 5; // one of the 32 shard reads of this refresh
        await Assert.ThrowsAsync<IOException>(() => index.RefreshIfDueAsync(counting, options, CancellationToken.None));
        Assert.Equal(50, index.Count);

        await index.RefreshIfDueAsync(counting, options, CancellationToken.None);
        Assert.Equal(90, index.Count);
    }

    /// <summary>Writes, a minute later, one code into every shard, so each shard's latest second holds only these.</summary>
    private async Task<List<CodeRecord>> TouchEveryShardAsync(int seed)
    {
        Later(60);
        var random = new Random(seed);
        var touched = new Dictionary<string, CodeRecord>();
        for (int i = 0; touched.Count < 32; i++)
        {
            var record = SyntheticCodes.Record(_archive.Encoder, $"touch_{i}", i % 2 == 0 ? Modality.S1 : Modality.S2, 64, 4, random);
            if (touched.TryAdd(record.Shard, record)) await _archive.Store.UpsertCodeAsync(record);
        }
        return [.. touched.Values];
    }

    private void Later(int seconds) => _archive.Clock.Now = _archive.Clock.Now.AddSeconds(seconds);

    private async Task<List<CodeRecord>> ReadAllAsync()
    {
        var records = new List<CodeRecord>();
        foreach (var modality in Enum.GetValues<Modality>())
            for (int prefix = 0; prefix < 16; prefix++)
                await foreach (var record in _archive.Store.ReadShardAsync(CodeRecord.ShardFor(_archive.Encoder, modality, prefix)))
                    records.Add(record);
        return records;
    }

    private static async Task<CodeRecord> Only(ResidentIndex index) =>
        Assert.Single(await index.SearchAsync(Modality.S2, new HammingCode(64, [0UL]), 5)).Record;

    /// <summary>Everything an index answers: every code of each modality ranked from the zero code, with its record.</summary>
    internal static async Task<List<(Modality Modality, long Key, int Distance, string Id, string Code, long Stamp, string Labels, string Blob)>> Contents(ResidentIndex index)
    {
        var contents = new List<(Modality, long, int, string, string, long, string, string)>();
        foreach (var m in Enum.GetValues<Modality>())
            foreach (var h in await index.SearchAsync(m, new HammingCode(64, [0UL]), Math.Max(1, index.Count)))
                contents.Add((m, h.Key, h.Distance, h.Record.Id, h.Record.Code, h.Record.Stamp, string.Join("|", h.Record.Labels), h.Record.Blob));
        return contents;
    }
}
