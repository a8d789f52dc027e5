using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using BitEarth.Core.Stores;

namespace BitEarth.Storage.Embedded;

/// <summary>
/// The code store of a single process with no database: one append-only, checksummed JSON-lines log per collection
/// (codes, patches, control) under <c>dataDirectory</c>, replayed into memory at open (see <see cref="JsonLinesLog{T}"/>
/// for what a crash can leave and what happens to a damaged record). Upserts are idempotent because the
/// latest document per key wins (codes: shard and id, like Cosmos DB items). A lock file keeps a second process from appending to the same logs.
/// Code stamps are the UTC clock in seconds, held back from ever decreasing (the clock may step back between runs).
/// </summary>
public sealed class EmbeddedCodeStore : ICodeStore, IDisposable
{
    private const string ActiveEncoderId = "active-encoder";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Lock _gate = new();
    private readonly FileStream _lockFile;
    private readonly JsonLinesLog<CodeRecord> _codes;
    private readonly JsonLinesLog<PatchRecord> _patches;
    private readonly JsonLinesLog<ControlRecord> _control;
    private readonly Dictionary<string, Dictionary<string, CodeRecord>> _shards = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private long _lastStamp;

    /// <param name="clock">Where stamps come from; the system clock unless a test sets the time.</param>
    public EmbeddedCodeStore(string dataDirectory, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Location = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        try
        {
            _lockFile = new FileStream(Path.Combine(dataDirectory, "store.lock"), FileMode.OpenOrCreate,
                FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"{dataDirectory} is already open in another code store", e);
        }
        try
        {
            _codes = new JsonLinesLog<CodeRecord>(Path.Combine(dataDirectory, "codes.jsonl"), KeyOf, Json);
            _patches = new JsonLinesLog<PatchRecord>(Path.Combine(dataDirectory, "patches.jsonl"), p => p.Id, Json);
            // Encoder switches are rare and lose a re-index when lost: these go to the disk, not just the OS.
            _control = new JsonLinesLog<ControlRecord>(Path.Combine(dataDirectory, "control.jsonl"), c => c.Id, Json, durable: true);
        }
        catch
        {
            _codes?.Dispose();
            _patches?.Dispose();
            _control?.Dispose();
            _lockFile.Dispose();
            throw;
        }
        foreach (var code in _codes.Live.Values)
        {
            ShardOf(code.Shard)[code.Id] = code;
            _lastStamp = Math.Max(_lastStamp, code.Stamp);
        }
    }

    public string Location { get; }

    /// <summary>Records of the logs that could not be read at open and were set aside (each log's <c>.quarantine.jsonl</c>).</summary>
    public IReadOnlyList<QuarantinedRecord> Quarantined => [.. _codes.Quarantined, .. _patches.Quarantined, .. _control.Quarantined];

    public Task UpsertCodeAsync(CodeRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _lastStamp = Math.Max(_lastStamp, _clock.GetUtcNow().ToUnixTimeSeconds());
            var stamped = record with { Stamp = _lastStamp };
            _codes.Upsert(stamped);
            ShardOf(record.Shard)[record.Id] = stamped;
        }
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<CodeRecord> ReadShardAsync(string shard, CancellationToken ct = default) =>
        ReadShardSinceAsync(shard, long.MinValue, ct);

    public async IAsyncEnumerable<CodeRecord> ReadShardSinceAsync(string shard, long since,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        CodeRecord[] records;
        lock (_gate)
            records = _shards.TryGetValue(shard, out var codes) ? [.. codes.Values.Where(c => c.Stamp >= since)] : [];
        foreach (var record in records)
        {
            ct.ThrowIfCancellationRequested();
            yield return record;
        }
        await Task.CompletedTask;
    }

    public Task UpsertPatchAsync(PatchRecord patch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(patch);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
            _patches.Upsert(patch);
        return Task.CompletedTask;
    }

    public Task<PatchRecord?> GetPatchAsync(string patchId, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
            return Task.FromResult(_patches.Live.GetValueOrDefault(patchId));
    }

    public async Task<string?> GetActiveEncoderAsync(CancellationToken ct = default) =>
        (await GetEncoderStateAsync(ct)).Active;

    public Task<EncoderState> GetEncoderStateAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        lock (_gate)
            return Task.FromResult(EncodersLocked());
    }

    public Task AddPendingEncoderAsync(string encoder, CancellationToken ct = default) =>
        UpdateEncoders(encoder, state => state.WithPending(encoder), ct);

    public Task SetActiveEncoderAsync(string encoder, CancellationToken ct = default) =>
        UpdateEncoders(encoder, state => state.Activated(encoder), ct);

    public void Dispose()
    {
        lock (_gate)
        {
            _codes.Dispose();
            _patches.Dispose();
            _control.Dispose();
            _lockFile.Dispose();
        }
    }

    private Dictionary<string, CodeRecord> ShardOf(string shard)
    {
        if (!_shards.TryGetValue(shard, out var codes))
            _shards[shard] = codes = new Dictionary<string, CodeRecord>(StringComparer.Ordinal);
        return codes;
    }

    /// <summary>Keyed like a Cosmos DB item, by partition and id; '\n' cannot occur in either.</summary>
    private static string KeyOf(CodeRecord record) => $"{record.Shard}\n{record.Id}";

    private Task UpdateEncoders(string encoder, Func<EncoderState, EncoderState> change, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(encoder);
        ct.ThrowIfCancellationRequested();
        lock (_gate)
            _control.Upsert(ControlRecord.Of(change(EncodersLocked())));
        return Task.CompletedTask;
    }

    private EncoderState EncodersLocked() => _control.Live.GetValueOrDefault(ActiveEncoderId) is { } control
        ? new EncoderState(control.Encoder, control.Pending ?? [])
        : EncoderState.Empty;

    /// <summary>The encoder state as one control document; logs written before pending encoders existed have none.</summary>
    private sealed record ControlRecord(string Id, string? Encoder, IReadOnlyList<string>? Pending)
    {
        public static ControlRecord Of(EncoderState state) => new(ActiveEncoderId, state.Active, state.Pending);
    }
}
