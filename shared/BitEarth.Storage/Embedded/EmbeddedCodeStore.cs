using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using BitEarth.Core.Stores;

namespace BitEarth.Storage.Embedded;

/// <summary>
/// The code store of a single process with no database: one append-only, checksummed JSON-lines log per collection
/// (codes, patches, control) under <c>dataDirectory</c>, indexed at open (see <see cref="JsonLinesLog{T}"/> for what a
/// crash can leave and what happens to a damaged record). Upserts are idempotent because the latest document per key
/// wins (codes: shard and id, like Cosmos DB items). A lock file keeps a second process from appending to the same logs.
/// Memory holds no records: each log knows where each key's latest line is, and each shard the slots of its records.
/// Code stamps are the UTC clock in seconds, held back from ever decreasing (the clock may step back between runs), so
/// each shard keeps its writes in stamp order as they happen (<see cref="ShardRecords"/>): a change feed read since a
/// stamp costs the records after it, not the whole shard, as Cosmos DB's <c>_ts</c> index does.
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
        // Each slot's latest stamp and shard as the log replays; put in stamp order once it has.
        var replayed = new List<(long Stamp, ShardRecords Shard)>();
        try
        {
            _codes = new JsonLinesLog<CodeRecord>(Path.Combine(dataDirectory, "codes.jsonl"), KeyOf, Json,
                replayed: (slot, code) =>
                {
                    var latest = (code.Stamp, ShardOf(code.Shard));
                    if (slot == replayed.Count) replayed.Add(latest);
                    else replayed[slot] = latest;
                });
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
        // The log's order is not stamp order (a rewritten record keeps its slot, the place of its first write; older
        // logs may hold stamps from a clock that stepped back): sorted once here, by stamp then slot, appended in
        // order afterwards.
        var order = new (long Stamp, int Slot)[replayed.Count];
        for (var slot = 0; slot < order.Length; slot++)
            order[slot] = (replayed[slot].Stamp, slot);
        Array.Sort(order);
        foreach (var (stamp, slot) in order)
            replayed[slot].Shard.Add(stamp, slot, added: true);
        _lastStamp = order.Length > 0 ? Math.Max(0, order[^1].Stamp) : 0;
    }

    public string Location { get; }

    /// <summary>Records of the logs that could not be read at open and were set aside (each log's <c>.quarantine.jsonl</c>).</summary>
    public IReadOnlyList<QuarantinedRecord> Quarantined => [.. _codes.Quarantined, .. _patches.Quarantined, .. _control.Quarantined];

    public Task UpsertCodeAsync(CodeRecord record, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertCodesAsync([record], ct);
    }

    /// <summary>
    /// Upserts a batch in one write and one flush, all stamped with one stamp; within the batch a key written twice
    /// keeps the later record. The way to fill a store with millions of records: a write per record costs a system
    /// call and a flush each.
    /// </summary>
    public Task UpsertCodesAsync(IReadOnlyList<CodeRecord> records, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ct.ThrowIfCancellationRequested();
        if (records.Count == 0)
            return Task.CompletedTask;
        lock (_gate)
        {
            _lastStamp = Math.Max(_lastStamp, _clock.GetUtcNow().ToUnixTimeSeconds());
            var stamped = new CodeRecord[records.Count];
            for (var i = 0; i < stamped.Length; i++)
                stamped[i] = (records[i] ?? throw new ArgumentException($"record {i} is null", nameof(records))) with { Stamp = _lastStamp };
            var placed = _codes.UpsertAll(stamped);
            for (var i = 0; i < stamped.Length; i++)
                ShardOf(stamped[i].Shard).Add(_lastStamp, placed[i].Slot, placed[i].Added);
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
            records = _shards.TryGetValue(shard, out var codes) ? codes.Since(since).ConvertAll(_codes.Read) : [];
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
            return Task.FromResult(_patches.Get(patchId));
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

    private EncoderState EncodersLocked() => _control.Get(ActiveEncoderId) is { } control
        ? new EncoderState(control.Encoder, control.Pending ?? [])
        : EncoderState.Empty;

    /// <summary>The encoder state as one control document; logs written before pending encoders existed have none.</summary>
    private sealed record ControlRecord(string Id, string? Encoder, IReadOnlyList<string>? Pending)
    {
        public static ControlRecord Of(EncoderState state) => new(ActiveEncoderId, state.Active, state.Pending);
    }

    /// <summary>
    /// One shard's writes in stamp order, as the slots of their keys in the codes log (writes are added with stamps
    /// that never decrease; the stamps are kept once per run of equal ones): a key's latest write is its last slot in
    /// the order, an earlier one is skipped when read and dropped once such leftovers outnumber the live keys.
    /// </summary>
    private sealed class ShardRecords
    {
        private List<int> _slots = [];
        private List<long> _runStamps = [];
        private List<int> _runStarts = []; // where each run of equal stamps starts in _slots
        private int _live;

        public void Add(long stamp, int slot, bool added)
        {
            if (_runStamps.Count == 0 || stamp > _runStamps[^1])
            {
                _runStamps.Add(stamp);
                _runStarts.Add(_slots.Count);
            }
            else if (stamp < _runStamps[^1])
                throw new InvalidOperationException($"A record is stamped {stamp}, before the shard's latest {_runStamps[^1]}.");
            _slots.Add(slot);
            if (added) _live++;
            if (_slots.Count > 2 * _live && _slots.Count >= 1024)
                DropSuperseded();
        }

        /// <summary>The slot of every key whose latest write is stamped at or after <paramref name="since"/>, in stamp order.</summary>
        public List<int> Since(long since)
        {
            int lo = 0, hi = _runStamps.Count; // the first run stamped at or after `since`
            while (lo < hi)
            {
                int mid = (lo + hi) >>> 1;
                if (_runStamps[mid] < since) lo = mid + 1;
                else hi = mid;
            }
            var start = lo < _runStarts.Count ? _runStarts[lo] : _slots.Count;
            var latest = Latest(start);
            var slots = new List<int>(_slots.Count - start);
            for (var i = start; i < _slots.Count; i++)
                if (latest[i - start]) slots.Add(_slots[i]);
            return slots;
        }

        /// <summary>For each write from <paramref name="start"/> on, whether it is its key's last.</summary>
        private bool[] Latest(int start)
        {
            var seen = new HashSet<int>();
            var latest = new bool[_slots.Count - start];
            for (var i = _slots.Count - 1; i >= start; i--)
                latest[i - start] = seen.Add(_slots[i]);
            return latest;
        }

        private void DropSuperseded()
        {
            var latest = Latest(0);
            List<int> slots = new(_live), runStarts = [];
            List<long> runStamps = [];
            for (var run = 0; run < _runStamps.Count; run++)
            {
                var end = run + 1 < _runStarts.Count ? _runStarts[run + 1] : _slots.Count;
                var first = slots.Count;
                for (var i = _runStarts[run]; i < end; i++)
                    if (latest[i]) slots.Add(_slots[i]);
                if (slots.Count > first)
                {
                    runStamps.Add(_runStamps[run]);
                    runStarts.Add(first);
                }
            }
            (_slots, _runStamps, _runStarts) = (slots, runStamps, runStarts);
        }
    }
}
