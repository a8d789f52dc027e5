using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Tests.Residency;

/// <summary>
/// A resident index loaded from snapshots holds codes, keys and entry offsets, not records: metadata is read from the
/// snapshot blobs for the keys asked for, records written since the snapshot are held whole, and changes by patch id
/// (relabel, re-hash into another shard, a new patch) apply to the packed shards.
/// </summary>
public sealed class CompactResidencyTests : IDisposable
{
    private readonly EmbeddedArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task Metadata_read_lazily_from_the_snapshots_equals_the_records_in_the_store()
    {
        var records = await SnapshotAsync(600);
        var later = await _archive.WriteCodesAsync(7, seed: 2);

        var index = await _archive.LoadAsync();

        // Held whole: what the change feed brought (the latest second of each shard is read again, and the later writes).
        Assert.Equal(32 + later.Count, index.OverlayRecords);
        var all = records.Concat(later).ToList();
        var read = await index.RecordsOfAsync([.. all.Select(r => PatchKey.Of(r.PatchId))]);
        SyntheticCodes.AssertSame(await StoredAsync(all), read.Select(r => r!));
        Assert.Equal(all[5].PatchId, (await index.RecordOfAsync(all[5].PatchId))!.PatchId);
        Assert.Null(await index.RecordOfAsync("never_ingested"));
        Assert.Equal(HammingCode.FromBase64(all[5].Code), index.CodeOf(all[5].PatchId));
    }

    [Fact]
    public async Task Resident_arrays_take_twenty_bytes_per_64_bit_code_and_a_trickle_of_upserts_adds_little()
    {
        await SnapshotAsync(4000);
        var index = await _archive.LoadAsync();
        // Keys 8, code 8, entry offset 4; the shards that took a change-feed record have grown by a sixteenth.
        Assert.InRange((double)index.ArrayBytes / index.Count, 20.0, 21.5);

        await index.ApplyAsync(SyntheticCodes.Records(_archive.Encoder, 64, 64, 4, seed: 9));

        Assert.Equal(4032 + 64, index.Count);
        Assert.InRange((double)index.ArrayBytes / index.Count, 20.0, 22.0);
    }

    [Fact]
    public async Task Upserts_by_patch_id_relabel_in_place_move_between_shards_and_add()
    {
        var records = await SnapshotAsync(300);
        var index = await _archive.LoadAsync();
        var relabelled = records[0] with { Labels = ["Relabelled"], Stamp = 0 };
        var moved = MovedToAnotherShard(records[1]);
        var added = SyntheticCodes.Record(_archive.Encoder, "S2_new", Modality.S2, 64, 4, new Random(3));

        await index.ApplyAsync([relabelled, moved, added]);

        Assert.Equal(300 + 32 + 1, index.Count);
        Assert.Equal(["Relabelled"], (await index.RecordOfAsync(relabelled.PatchId))!.Labels);
        Assert.Equal(moved.Shard, (await index.RecordOfAsync(moved.PatchId))!.Shard);
        Assert.Equal(HammingCode.FromBase64(moved.Code), index.CodeOf(moved.PatchId));
        var nearOld = await index.SearchAsync(records[1].Modality, HammingCode.FromBase64(records[1].Code), index.Count);
        Assert.Single(nearOld, h => h.Record.PatchId == moved.PatchId); // in its new shard only
        Assert.Equal(added.PatchId, (await index.SearchAsync(Modality.S2, HammingCode.FromBase64(added.Code), 1)).Single().Record.PatchId);
    }

    [Fact]
    public async Task A_snapshot_rewritten_after_the_load_is_followed_for_the_metadata()
    {
        var records = await SnapshotAsync(500);
        var index = await _archive.LoadAsync();
        _archive.Clock.Now = _archive.Clock.Now.AddSeconds(60);
        // New records in every shard, so every snapshot is rewritten with its entries at other offsets.
        await _archive.WriteCodesAsync(200, seed: 4);
        Assert.Equal(32, (await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder)).ShardsWritten);

        var read = await index.RecordsOfAsync([.. records.Select(r => PatchKey.Of(r.PatchId))]);

        SyntheticCodes.AssertSame(await StoredAsync(records), read.Select(r => r!));
        await index.RefreshIfDueAsync(_archive.Store, _archive.Options with { IndexRefreshInterval = TimeSpan.Zero }, CancellationToken.None);
        Assert.Equal(500 + 32 + 200, index.Count); // reloaded shards and the refresh agree on what is there
    }

    [Fact]
    public async Task A_snapshot_entry_read_at_a_stale_offset_is_refused_by_its_key()
    {
        var records = await SnapshotAsync(100);
        var section = await ShardSnapshotIndex.ReadBlobAsync(_archive.Blobs, _archive.Encoder, records[0].Modality, Prefix(records[0]), CancellationToken.None);
        var header = section!.Header;
        string code = new HammingCode(64, section.Codes[..1]).ToBase64();

        Assert.Equal(section.Keys[0], PatchKey.Of((await header.ReadRecordAsync(_archive.Blobs, section.Entries[0], section.Keys[0], code, CancellationToken.None))!.PatchId));
        Assert.Null(await header.ReadRecordAsync(_archive.Blobs, section.Entries[0], section.Keys[0] ^ 1, code, CancellationToken.None));
        Assert.Null(await header.ReadRecordAsync(_archive.Blobs, section.Entries[0] + 3, section.Keys[0], code, CancellationToken.None));
    }

    /// <summary>
    /// Writes records, then a minute later one more into each of the 32 shards, and snapshots: a load reads only those
    /// 32 again from the change feed (each shard's latest second), none of the others.
    /// </summary>
    private async Task<List<CodeRecord>> SnapshotAsync(int count)
    {
        var records = await _archive.WriteCodesAsync(count, seed: 1);
        _archive.Clock.Now = _archive.Clock.Now.AddSeconds(60);
        var random = new Random(17);
        var touched = new HashSet<string>();
        for (int i = 0; touched.Count < 32; i++)
        {
            var record = SyntheticCodes.Record(_archive.Encoder, $"touch_{i}", i % 2 == 0 ? Modality.S1 : Modality.S2, 64, 4, random);
            if (touched.Add(record.Shard)) await _archive.Store.UpsertCodeAsync(record);
        }
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        _archive.Clock.Now = _archive.Clock.Now.AddSeconds(60);
        return records;
    }

    private CodeRecord MovedToAnotherShard(CodeRecord record)
    {
        var random = new Random(11);
        while (true)
        {
            var moved = SyntheticCodes.Record(_archive.Encoder, record.PatchId, record.Modality, 64, 4, random);
            if (moved.Shard != record.Shard) return moved with { Stamp = 0 };
        }
    }

    private async Task<List<CodeRecord>> StoredAsync(IEnumerable<CodeRecord> records)
    {
        var stored = new List<CodeRecord>();
        foreach (var shard in records.GroupBy(r => r.Shard))
        {
            var ids = shard.Select(r => r.Id).ToHashSet();
            await foreach (var record in _archive.Store.ReadShardAsync(shard.Key)) if (ids.Contains(record.Id)) stored.Add(record);
        }
        return stored;
    }

    private static int Prefix(CodeRecord record) => Convert.ToInt32(record.Shard[^2..], 16);
}
