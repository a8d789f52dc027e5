using System.Text;
using System.Text.Json;
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
    public async Task A_record_torn_by_a_crash_is_set_aside_and_later_appends_stay_readable()
    {
        var kept = Code("S2A_kept", Modality.S2, prefix: 5, seed: 1);
        await _store.UpsertCodeAsync(kept);
        _store.Dispose();
        File.AppendAllText(CodesLog, "0badc0de {\"id\":\"half-writ");

        _store = new EmbeddedCodeStore(_data.Path);
        var torn = Assert.Single(_store.Quarantined);
        Assert.Equal(("codes.jsonl", 2), (torn.File, torn.Line));
        Assert.StartsWith("torn final record, its write never completed", torn.Reason);
        Assert.Contains("half-writ", File.ReadAllText(Path.Combine(_data.Path, "codes.quarantine.jsonl")));
        var next = Code("S2A_next", Modality.S2, prefix: 5, seed: 2);
        await _store.UpsertCodeAsync(next);
        Restart();

        AssertRecords([kept, next], await ReadShardAsync(kept.Shard));
        Assert.Empty(_store.Quarantined);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_complete_last_control_record_without_its_newline_is_kept(bool legacyFormat)
    {
        await _store.SetActiveEncoderAsync("lsh64-s42");
        await _store.SetActiveEncoderAsync("lsh128-s7");
        _store.Dispose();
        var control = Path.Combine(_data.Path, "control.jsonl");
        var lines = File.ReadAllLines(control);
        if (legacyFormat) lines = [.. lines.Select(l => l[9..])]; // the format before checksums: bare JSON
        File.WriteAllText(control, string.Join('\n', lines)); // the last newline lost

        _store = new EmbeddedCodeStore(_data.Path);

        Assert.Equal("lsh128-s7", await _store.GetActiveEncoderAsync());
        Assert.Empty(_store.Quarantined);
        Assert.All(File.ReadAllLines(control), l => Assert.Matches("^[0-9a-f]{8} \\{", l)); // rewritten with checksums
    }

    [Theory]
    [InlineData("not json", "corrupt record: no checksum")]
    [InlineData("{\"id\":", "corrupt record: not a valid")]
    [InlineData("zzzzzzzz {}", "corrupt record: checksum is not 8 hex digits")]
    public async Task A_corrupt_record_in_the_middle_is_quarantined_with_its_reason_and_the_store_opens(string line, string reason)
    {
        var before = Code("S2A_before", Modality.S2, prefix: 6, seed: 1);
        await _store.UpsertCodeAsync(before);
        _store.Dispose();
        File.AppendAllText(CodesLog, line + "\n");
        _store = new EmbeddedCodeStore(_data.Path);
        var after = Code("S2A_after", Modality.S2, prefix: 6, seed: 2);
        await _store.UpsertCodeAsync(after);

        Restart();

        AssertRecords([before, after], await ReadShardAsync(before.Shard));
        var quarantine = File.ReadAllLines(Path.Combine(_data.Path, "codes.quarantine.jsonl"));
        var entry = JsonDocument.Parse(Assert.Single(quarantine)).RootElement;
        Assert.StartsWith(reason, entry.GetProperty("reason").GetString());
        Assert.Equal(2, entry.GetProperty("line").GetInt32());
        Assert.Equal(line, entry.GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_flipped_byte_in_a_record_is_caught_by_its_checksum()
    {
        var first = Code("S2A_first", Modality.S2, prefix: 7, seed: 1);
        var second = Code("S2A_second", Modality.S2, prefix: 7, seed: 2);
        await _store.UpsertCodeAsync(first);
        await _store.UpsertCodeAsync(second);
        _store.Dispose();
        var bytes = File.ReadAllBytes(CodesLog);
        bytes[12] ^= 0x01; // inside the first record's JSON
        File.WriteAllBytes(CodesLog, bytes);

        _store = new EmbeddedCodeStore(_data.Path);

        Assert.StartsWith("corrupt record: checksum mismatch", Assert.Single(_store.Quarantined).Reason);
        AssertRecords([second], await ReadShardAsync(first.Shard));
    }

    [Fact]
    public async Task A_log_in_the_format_before_checksums_reads_and_is_rewritten_with_them()
    {
        _store.Dispose();
        File.WriteAllText(Path.Combine(_data.Path, "patches.jsonl"),
            "{\"id\":\"a\",\"modality\":\"S2\",\"labels\":[],\"blob\":\"b\",\"width\":1,\"height\":1}\n");
        _store = new EmbeddedCodeStore(_data.Path);

        Assert.Equal("b", (await _store.GetPatchAsync("a"))!.Blob);
        Assert.Matches("^[0-9a-f]{8} \\{", File.ReadAllText(Path.Combine(_data.Path, "patches.jsonl")));
        Restart();
        Assert.Equal("b", (await _store.GetPatchAsync("a"))!.Blob);
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
        // Read back by their offsets in the rewritten file, then replayed from it.
        AssertRecords(records.Select(r => r with { Labels = ["round 299"] }), await ReadShardAsync(records[0].Shard));
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
    public async Task The_change_feed_since_a_stamp_gives_each_id_latest_write_once_across_rewrites_compaction_and_restarts()
    {
        var clock = new StepClock(1000);
        Restart(clock);
        var a = Code("S2A_a", Modality.S2, prefix: 3, seed: 1);
        var b = Code("S2A_b", Modality.S2, prefix: 3, seed: 2);
        await _store.UpsertCodeAsync(a);
        clock.Seconds = 1001;
        await _store.UpsertCodeAsync(b);
        clock.Seconds = 1002;
        // Enough rewrites of one id, in one second, that the superseded writes outnumber the live ones and are dropped.
        for (int i = 0; i < 1100; i++) await _store.UpsertCodeAsync(a with { Labels = [$"round {i}"] });
        var latest = a with { Labels = ["round 1099"] };

        await AssertSinceAsync(a.Shard, 1002, latest);
        await AssertSinceAsync(a.Shard, 1001, b, latest);
        await AssertSinceAsync(a.Shard, 0, b, latest);
        await AssertSinceAsync(a.Shard, 1003);

        // Reopened, `a` is still first in the log's replay order although its stamp is the latest; and a clock that
        // stepped back stamps new writes with the latest stamp, never before it.
        clock.Seconds = 500;
        Restart(clock);
        await AssertSinceAsync(a.Shard, 1002, latest);
        var c = Code("S2A_c", Modality.S2, prefix: 3, seed: 3);
        await _store.UpsertCodeAsync(c);
        await AssertSinceAsync(a.Shard, 1002, latest, c);
        await AssertSinceAsync(a.Shard, 1001, b, latest, c);
        Assert.Equal(1002, Assert.Single(await ReadShardSinceAsync(c.Shard, 1002), r => r.PatchId == "S2A_c").Stamp);
    }

    [Fact]
    public async Task A_log_larger_than_its_read_chunk_reopens_with_every_record()
    {
        var records = Records("S2A_many", 10_000, prefix: 8);
        await _store.UpsertCodesAsync(records[..5000]);
        await _store.UpsertCodesAsync(records[5000..]);
        Assert.InRange(new FileInfo(CodesLog).Length, 2L * ReadChunkBytes, long.MaxValue);

        Restart();

        Assert.Empty(_store.Quarantined);
        AssertRecords(records, await ReadShardAsync(records[0].Shard));
    }

    [Fact]
    public async Task A_damaged_record_across_a_read_chunk_boundary_is_quarantined_with_its_reason()
    {
        var records = Records("S2A_cross", 6000, prefix: 8);
        await _store.UpsertCodesAsync(records);
        _store.Dispose();
        var bytes = File.ReadAllBytes(CodesLog);
        var start = Array.LastIndexOf(bytes, (byte)'\n', ReadChunkBytes - 1) + 1; // the line the first chunk ends in
        var end = Array.IndexOf(bytes, (byte)'\n', start);
        Assert.True(start < ReadChunkBytes && end - 1 >= ReadChunkBytes, "the damaged byte is past the boundary");
        var lineNumber = bytes.AsSpan(0, start).Count((byte)'\n') + 1;
        var damagedId = JsonDocument.Parse(bytes.AsMemory(start + 9, end - start - 9)).RootElement.GetProperty("id").GetString();
        bytes[end - 1] ^= 0x01; // the JSON's closing brace, in the second chunk
        File.WriteAllBytes(CodesLog, bytes);

        _store = new EmbeddedCodeStore(_data.Path);

        var set = Assert.Single(_store.Quarantined);
        Assert.Equal((lineNumber, (long)start), (set.Line, set.Offset));
        Assert.StartsWith("corrupt record: checksum mismatch", set.Reason);
        var quarantined = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(_data.Path, "codes.quarantine.jsonl")))).RootElement;
        Assert.Equal(bytes[start..end], Convert.FromBase64String(quarantined.GetProperty("contentBase64").GetString()!));
        AssertRecords(records.Where(r => r.Id != damagedId), await ReadShardAsync(records[0].Shard));
    }

    [Fact]
    public async Task A_batch_gets_one_stamp_and_its_last_write_of_a_key_wins()
    {
        var clock = new StepClock(2000);
        Restart(clock);
        var first = Records("S2A_batch", 3, prefix: 2);
        await _store.UpsertCodesAsync(first);
        clock.Seconds = 2001;
        var rewritten = first[1] with { Labels = ["rewritten"] };
        await _store.UpsertCodesAsync([first[1] with { Labels = ["superseded"] }, Code("S2A_added", Modality.S2, prefix: 2, seed: 9), rewritten]);

        var since = await ReadShardSinceAsync(first[0].Shard, 2001);
        Assert.Equal(["S2A_added", first[1].PatchId], since.Select(r => r.PatchId));
        Assert.All(since, r => Assert.Equal(2001, r.Stamp));
        Assert.Equal(["rewritten"], since[1].Labels);
        Assert.Equal(2000, Assert.Single(await ReadShardAsync(first[0].Shard), r => r.PatchId == first[0].PatchId).Stamp);
        Restart(clock);
        AssertRecords([first[0], rewritten, Code("S2A_added", Modality.S2, prefix: 2, seed: 9), first[2]], await ReadShardAsync(first[0].Shard));
    }

    [Fact]
    public async Task Modality_is_stored_by_name()
    {
        await _store.UpsertCodeAsync(Code("S1A_name", Modality.S1, prefix: 9, seed: 1));

        Assert.Contains("\"modality\":\"S1\"", File.ReadAllText(Path.Combine(_data.Path, "codes.jsonl")));
    }

    // The chunk JsonLinesLog reads a log in at open.
    private const int ReadChunkBytes = 1 << 20;

    private CodeRecord[] Records(string name, int count, int prefix) =>
        [.. Enumerable.Range(0, count).Select(i => Code($"{name}_{i}", Modality.S2, prefix, seed: i, "Pastures"))];

    private string CodesLog => Path.Combine(_data.Path, "codes.jsonl");

    private void Restart(TimeProvider? clock = null)
    {
        _store.Dispose();
        _store = new EmbeddedCodeStore(_data.Path, clock);
    }

    /// <summary>The records read since <paramref name="stamp"/>: exactly <paramref name="expected"/>, each once, in stamp order.</summary>
    private async Task AssertSinceAsync(string shard, long stamp, params CodeRecord[] expected)
    {
        var got = await ReadShardSinceAsync(shard, stamp);
        Assert.Equal(expected.Select(r => r.PatchId), got.Select(r => r.PatchId));
        AssertRecords(expected, got);
        Assert.Equal(got.Select(r => r.Stamp).Order(), got.Select(r => r.Stamp));
    }

    private sealed class StepClock(long seconds) : TimeProvider
    {
        public long Seconds { get; set; } = seconds;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Seconds);
    }
}
