using System.Text;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Storage.Embedded;

namespace BitEarth.Storage.Tests;

public sealed class EmbeddedCodeStoreTests : CodeStoreContract, IDisposable
{
    private readonly TempDirectory _data = new();
    private EmbeddedCodeStore _store;

    public EmbeddedCodeStoreTests() => _store = new EmbeddedCodeStore(_data.Path);

    protected override ICodeStore Store => _store;

    public void Dispose()
    {
        _store.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Everything_survives_a_restart()
    {
        var replaced = Code("S2A_replaced", Modality.S2, prefix: 1, seed: 1, "Pastures");
        var replacement = replaced with { Labels = ["Pastures", "Water bodies"] };
        var other = Code("S1A_x", Modality.S1, prefix: 1, seed: 3);
        var patch = new PatchRecord("S1A_x", Modality.S1, ["Water bodies"], "b", 120, 120, "S2A_y", DateTimeOffset.UnixEpoch);
        await _store.UpsertCodeAsync(replaced);
        await _store.UpsertCodeAsync(replacement);
        await _store.UpsertCodeAsync(other);
        await _store.UpsertPatchAsync(patch);
        await _store.SetActiveEncoderAsync(Encoder);
        await _store.AddPendingEncoderAsync(Encoder + "-next");

        Restart();

        AssertRecords([replacement], await ReadShardAsync(replacement.Shard));
        AssertRecords([other], await ReadShardAsync(other.Shard));
        AssertPatch(patch, await _store.GetPatchAsync("S1A_x"));
        Assert.Equal(new[] { Encoder + "-next" }, (await _store.GetEncoderStateAsync()).Pending);
        Assert.Equal(Encoder, await _store.GetActiveEncoderAsync());
    }

    [Fact]
    public async Task A_control_log_from_before_pending_encoders_reads_as_none_pending()
    {
        _store.Dispose();
        File.WriteAllText(Path.Combine(_data.Path, "control.jsonl"), "{\"id\":\"active-encoder\",\"encoder\":\"lsh64-s42\"}\n");
        _store = new EmbeddedCodeStore(_data.Path);

        Assert.Equal("lsh64-s42", (await _store.GetEncoderStateAsync()).Active);
        Assert.Empty((await _store.GetEncoderStateAsync()).Pending);
        await _store.AddPendingEncoderAsync("lsh128-s7");
        Assert.Equal("lsh128-s7", Assert.Single((await _store.GetEncoderStateAsync()).Pending));
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused_while_the_first_is_open()
    {
        var error = Assert.Throws<IOException>(() => new EmbeddedCodeStore(_data.Path));
        Assert.Contains(_data.Path, error.Message);

        await _store.SetActiveEncoderAsync("still-usable");
        Assert.Equal("still-usable", await _store.GetActiveEncoderAsync());
    }

    [Fact]
    public async Task A_line_torn_by_a_crash_is_dropped_and_later_appends_stay_readable()
    {
        var kept = Code("S2A_kept", Modality.S2, prefix: 5, seed: 1);
        await _store.UpsertCodeAsync(kept);
        _store.Dispose();
        File.AppendAllText(Path.Combine(_data.Path, "codes.jsonl"), "{\"id\":\"half-writ");

        _store = new EmbeddedCodeStore(_data.Path);
        var next = Code("S2A_next", Modality.S2, prefix: 5, seed: 2);
        await _store.UpsertCodeAsync(next);
        Restart();

        AssertRecords([kept, next], await ReadShardAsync(kept.Shard));
    }

    [Fact]
    public void A_corrupt_line_in_the_middle_is_a_typed_error_naming_file_and_line()
    {
        _store.Dispose();
        File.WriteAllText(Path.Combine(_data.Path, "patches.jsonl"), "{\"id\":\"a\",\"modality\":\"S2\",\"labels\":[],\"blob\":\"b\",\"width\":1,\"height\":1}\nnot json\n");

        var error = Assert.Throws<InvalidDataException>(() => _store = new EmbeddedCodeStore(_data.Path));
        Assert.Contains("patches.jsonl:2", error.Message);
        _store = new EmbeddedCodeStore(Path.Combine(_data.Path, "fresh")); // so Dispose has an open store to close
    }

    [Fact]
    public async Task Superseded_lines_are_compacted_away_without_losing_the_latest()
    {
        var records = Enumerable.Range(0, 10).Select(i => Code($"S2A_{i}", Modality.S2, prefix: 0, seed: i)).ToArray();
        for (var round = 0; round < 300; round++)
            foreach (var record in records)
                await _store.UpsertCodeAsync(record with { Labels = [$"round {round}"] });

        var lines = File.ReadAllLines(Path.Combine(_data.Path, "codes.jsonl"), Encoding.UTF8).Length;
        Assert.InRange(lines, records.Length, 1024);
        Restart();
        AssertRecords(records.Select(r => r with { Labels = ["round 299"] }), await ReadShardAsync(records[0].Shard));
    }

    [Fact]
    public async Task Stamps_survive_a_restart_and_later_writes_never_get_an_earlier_one()
    {
        var first = Code("S2A_first", Modality.S2, prefix: 4, seed: 1);
        await _store.UpsertCodeAsync(first);
        var stamp = Assert.Single(await ReadShardAsync(first.Shard)).Stamp;
        Restart();

        Assert.Equal(stamp, Assert.Single(await ReadShardAsync(first.Shard)).Stamp);
        var second = Code("S2A_second", Modality.S2, prefix: 4, seed: 2);
        await _store.UpsertCodeAsync(second);
        Assert.Contains(await ReadShardSinceAsync(first.Shard, stamp), r => r.PatchId == "S2A_second");
    }

    [Fact]
    public async Task Modality_is_stored_by_name()
    {
        await _store.UpsertCodeAsync(Code("S1A_name", Modality.S1, prefix: 9, seed: 1));

        Assert.Contains("\"modality\":\"S1\"", File.ReadAllText(Path.Combine(_data.Path, "codes.jsonl")));
    }

    private void Restart()
    {
        _store.Dispose();
        _store = new EmbeddedCodeStore(_data.Path);
    }
}
