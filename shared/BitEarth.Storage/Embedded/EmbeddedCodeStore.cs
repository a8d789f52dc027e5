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
/// Code stamps are the UTC clock in seconds, held back from ever decreasing (the clock may step back between runs), so
/// each shard keeps its records in stamp order as they are written (<see cref="ShardRecords"/>): a change feed read
/// since a stamp costs the records after it, not the whole shard, as Cosmos DB's <c>_ts</c> index does.
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
    private readonly Dictionary<string, ShardRecords> _shards = new(StringComparer.Ordinal);
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
        // The log's order is not stamp order (a rewritten record keeps its first place in Live; older logs may hold
        // stamps from a clock that stepped back): sorted once here, appended in order afterwards.
        foreach (var code in _codes.Live.Values.OrderBy(c => c.Stamp))
        {
            ShardOf(code.Shard).Add(code);
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
            ShardOf(record.Shard).Add(stamped);
        }
        return Task.CompletedTask;
    }

    public IAsyncEnumerable<CodeRecord> ReadShardAsync(string shard, CancellationToken ct = default) =>
        ReadShardSinceAsync(shard, long.MinValue, ct);

    public async IAsyncEnumerable<CodeRecord> ReadShardSinceAsync(string shard, long since,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        List<CodeRecord> records;
        lock (_gate)
            records = _shards.TryGetValue(shard, out var codes) ? codes.Since(since) : [];
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

    private ShardRecords ShardOf(string shard)
    {
        if (!_shards.TryGetValue(shard, out var codes))
            _shards[shard] = codes = new ShardRecords();
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

    /// <summary>
    /// One shard's latest record per id, and its writes in stamp order (records are added with stamps that never
    /// decrease): a write that supersedes an earlier one leaves the earlier one in the order, skipped when read and
    /// dropped once such leftovers outnumber the live records.
    /// </summary>
    private sealed class ShardRecords
    {
        private readonly Dictionary<string, CodeRecord> _latest = new(StringComparer.Ordinal);
        private readonly List<CodeRecord> _byStamp = [];

        public void Add(CodeRecord record)
        {
            if (_byStamp.Count > 0 && record.Stamp < _byStamp[^1].Stamp)
                throw new InvalidOperationException($"Record {record.Id} is stamped {record.Stamp}, before the shard's latest {_byStamp[^1].Stamp}.");
            _latest[record.Id] = record;
            _byStamp.Add(record);
            if (_byStamp.Count > 2 * _latest.Count && _byStamp.Count >= 1024)
                _byStamp.RemoveAll(r => !IsLatest(r));
        }

        /// <summary>The latest record of every id stamped at or after <paramref name="since"/>, in stamp order.</summary>
        public List<CodeRecord> Since(long since)
        {
            int lo = 0, hi = _byStamp.Count; // the first write stamped at or after `since`
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (_byStamp[mid].Stamp < since) lo = mid + 1;
                else hi = mid;
            }
            var records = new List<CodeRecord>(_byStamp.Count - lo);
            for (int i = lo; i < _byStamp.Count; i++)
                if (IsLatest(_byStamp[i])) records.Add(_byStamp[i]);
            return records;
        }

        // The same object, not an equal one: a rewrite with the same content and stamp must not be read twice.
        private bool IsLatest(CodeRecord record) => ReferenceEquals(_latest[record.Id], record);
    }
}
