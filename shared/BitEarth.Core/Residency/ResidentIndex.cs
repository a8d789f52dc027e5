using System.Diagnostics;
using System.Numerics;
using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// All codes of one encoder held in memory: a sharded Hamming index per modality plus the record behind each key.
/// Each shard loads from its snapshot blob and the store's changes since, or item by item from the store when it has
/// no snapshot; afterwards the index follows each shard's change feed (<see cref="RefreshIfDueAsync"/>), so it sees
/// codes that other processes write, and takes writes of this process directly (<see cref="Apply"/>).
/// </summary>
public sealed class ResidentIndex : IDisposable
{
    private readonly Dictionary<Modality, ShardedHammingIndex> _byModality;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, long> _seenByShard = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private Dictionary<long, CodeRecord> _records = new();
    private long _refreshedAt = Environment.TickCount64;

    public ResidentIndex(string encoder, int bits, int prefixBits)
    {
        Encoder = encoder;
        _byModality = Enum.GetValues<Modality>().ToDictionary(m => m, _ => new ShardedHammingIndex(bits, prefixBits));
    }

    public string Encoder { get; }

    public int Count
    {
        get { _lock.EnterReadLock(); try { return _records.Count; } finally { _lock.ExitReadLock(); } }
    }

    /// <summary>How the index was loaded; null for an index built by <see cref="Apply"/> alone.</summary>
    public ResidentIndexLoad? Loaded { get; private set; }

    /// <summary>
    /// Loads every shard of <paramref name="encoder"/>: from its snapshot in <paramref name="snapshots"/> (when given and
    /// usable: taken from this store, same code and prefix lengths) plus the records stamped since, less
    /// <see cref="ArchiveOptions.StampOverlap"/>; otherwise item by item.
    /// A key found in two shards (a patch re-hashed to another prefix) keeps its latest record.
    /// </summary>
    public static async Task<ResidentIndex> LoadAsync(ICodeStore store, IBlobStore? snapshots, string encoder, int bits,
        ArchiveOptions options, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var shards = Enum.GetValues<Modality>()
            .SelectMany(m => Enumerable.Range(0, 1 << options.PrefixBits).Select(p => (Modality: m, Prefix: p)))
            .ToArray();
        var reads = await ReadSideBySideAsync(shards.Length, options,
            (i, token) => ReadShardAsync(store, snapshots, encoder, shards[i].Modality, shards[i].Prefix, bits, options, token), ct);

        var index = new ResidentIndex(encoder, bits, options.PrefixBits);
        var latest = new Dictionary<long, LoadedCode>();
        int words = HammingCode.WordCount(bits);
        foreach (var read in reads)
        {
            long seen = 0;
            if (read.Snapshot is { } snapshot)
            {
                for (int i = 0; i < snapshot.Records.Count; i++)
                    KeepLatest(latest, snapshot.Keys[i], new LoadedCode(snapshot.Records[i], snapshot.Codes.Slice(i * words, words).ToArray()));
                seen = snapshot.Stamp;
            }
            foreach (var (key, code) in read.FromStore)
            {
                KeepLatest(latest, key, code);
                seen = Math.Max(seen, code.Record.Stamp);
            }
            index._seenByShard[read.Shard] = seen;
        }
        index.BulkLoad(latest, bits);
        index._refreshedAt = Environment.TickCount64;
        index.Loaded = new ResidentIndexLoad(
            reads.Count(r => r.Snapshot is not null), reads.Count(r => r.Snapshot is null), reads.Count(r => r.Refused),
            reads.Sum(r => (long)(r.Snapshot?.Records.Count ?? 0)), reads.Sum(r => (long)r.FromStore.Count), clock.Elapsed);
        return index;
    }

    /// <summary>
    /// Runs <paramref name="read"/> for shards 0..count-1, <see cref="ArchiveOptions.ShardLoadConcurrency"/> at a time
    /// (each read is a few store round trips); results come back in shard order, so merging them is deterministic.
    /// </summary>
    private static async Task<T[]> ReadSideBySideAsync<T>(int count, ArchiveOptions options, Func<int, CancellationToken, Task<T>> read,
        CancellationToken ct)
    {
        var results = new T[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = options.ShardLoadConcurrency, CancellationToken = ct },
            async (i, token) => results[i] = await read(i, token));
        return results;
    }

    /// <summary>One shard: its usable snapshot and the records stamped since, or all its records when it has none.</summary>
    private static async Task<ShardRead> ReadShardAsync(ICodeStore store, IBlobStore? snapshots, string encoder, Modality modality,
        int prefix, int bits, ArchiveOptions options, CancellationToken ct)
    {
        var shard = CodeRecord.ShardFor(encoder, modality, prefix);
        CodeShardSnapshot? snapshot = null;
        bool refused = false;
        if (snapshots is not null)
        {
            try
            {
                snapshot = await CodeShardSnapshot.ReadBlobAsync(snapshots, encoder, modality, prefix, ct);
            }
            catch (ShardSnapshotFormatException)
            {
                refused = true; // read the shard whole instead; the next snapshot refresh rewrites the blob
            }
            if (snapshot is not null && !snapshot.Fits(store, bits, options.PrefixBits))
            {
                refused = true;
                snapshot = null;
            }
        }
        var feed = snapshot is null
            ? store.ReadShardAsync(shard, ct)
            : store.ReadShardSinceAsync(shard, snapshot.Stamp - options.StampOverlapSeconds, ct);
        var fromStore = new List<(long, LoadedCode)>();
        await foreach (var record in feed)
            fromStore.Add((PatchKey.Of(record.PatchId), new LoadedCode(record, Words(record, bits))));
        return new ShardRead(shard, snapshot, refused, fromStore);
    }

    /// <summary>
    /// Applies each shard's changes since the index last looked, when <see cref="ArchiveOptions.IndexRefreshInterval"/>
    /// has passed since the last refresh (or load). Shards are read side by side like a load
    /// (<see cref="ArchiveOptions.ShardLoadConcurrency"/>) and applied in shard order once all reads succeeded.
    /// Concurrent callers wait for one refresh; a cancelled or failed one is retried by the next caller, and a shard's
    /// position only advances once its changes are applied.
    /// </summary>
    public async Task RefreshIfDueAsync(ICodeStore store, ArchiveOptions options, CancellationToken ct)
    {
        if (!IsDue(options.IndexRefreshInterval)) return;
        await _refreshing.WaitAsync(ct);
        try
        {
            if (!IsDue(options.IndexRefreshInterval)) return; // another caller refreshed while this one waited
            var positions = _seenByShard.ToArray();
            var changes = await ReadSideBySideAsync(positions.Length, options,
                (i, token) => store.ReadShardSinceAsync(positions[i].Key, positions[i].Value - options.StampOverlapSeconds, token).ToListAsync(token).AsTask(), ct);
            for (int i = 0; i < positions.Length; i++)
            {
                long latest = positions[i].Value;
                foreach (var record in changes[i])
                {
                    Apply(record);
                    latest = Math.Max(latest, record.Stamp);
                }
                _seenByShard[positions[i].Key] = latest;
            }
            Volatile.Write(ref _refreshedAt, Environment.TickCount64);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>
    /// Upserts a record of this encoder. A record older than the one held for its patch is ignored: a change feed read
    /// with overlap can bring back a patch's earlier code from the shard it has since left. A record not yet stamped
    /// (just written by this process) always applies; its stamped copy arrives with the next refresh.
    /// </summary>
    public void Apply(CodeRecord record)
    {
        if (record.Encoder != Encoder) return;
        long key = PatchKey.Of(record.PatchId);
        var code = HammingCode.FromBase64(record.Code);
        _lock.EnterWriteLock();
        try
        {
            if (_records.TryGetValue(key, out var held) && record.Stamp != 0 && record.Stamp < held.Stamp) return;
            _byModality[record.Modality].Upsert(key, code);
            _records[key] = record;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Exact top-k of one modality over all its shards, with the records behind the hits.</summary>
    public (IReadOnlyList<RankedPatch> Hits, int ShardsVisited, long CodesScanned) Search(Modality modality, HammingCode query, int k)
    {
        _lock.EnterReadLock();
        try
        {
            var result = _byModality[modality].Search(query, k);
            return (result.Hits.Select(h => new RankedPatch(h.Key, h.Distance, _records[h.Key])).ToList(), result.ShardsVisited, result.CodesScanned);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>
    /// Exact top-k (ties by key) over the shards of <paramref name="group"/>, visited in its order, nearest prefix first:
    /// the first shard whose lower bound exceeds the k-th distance ends the search, so the plan is the one ordering.
    /// </summary>
    public PartialTopK Search(ShardGroup group, HammingCode query, int k)
    {
        _lock.EnterReadLock();
        try
        {
            var index = _byModality[group.Modality];
            if (query.Bits != index.Bits) throw new ArgumentException($"Index holds {index.Bits}-bit codes, got {query.Bits}.", nameof(query));
            var top = new TopK(k, index.Bits);
            int q = query.Prefix(index.PrefixBits), visited = 0;
            long scanned = 0;
            foreach (int prefix in group.Prefixes)
            {
                if (top.IsFull && BitOperations.PopCount((uint)(prefix ^ q)) > top.WorstDistance) break;
                if (index.ShardAt(prefix) is not { Count: > 0 } shard) continue;
                visited++;
                scanned += shard.Count;
                shard.Scan(query.Words, top);
            }
            return new PartialTopK(top.ToSortedList(), visited, scanned);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The record held for <paramref name="patchId"/>, or null when the index has no code for it.</summary>
    public CodeRecord? RecordOf(string patchId) =>
        RecordOf(PatchKey.Of(patchId)) is { } record && record.PatchId == patchId ? record : null;

    /// <summary>The record behind a hit's key, or null when the index does not hold it (yet).</summary>
    public CodeRecord? RecordOf(long key)
    {
        _lock.EnterReadLock();
        try { return _records.GetValueOrDefault(key); }
        finally { _lock.ExitReadLock(); }
    }

    public void Dispose()
    {
        _lock.Dispose();
        _refreshing.Dispose();
    }

    private bool IsDue(TimeSpan interval) =>
        Environment.TickCount64 - Volatile.Read(ref _refreshedAt) >= (long)interval.TotalMilliseconds;

    private static void KeepLatest(Dictionary<long, LoadedCode> latest, long key, LoadedCode code)
    {
        if (!latest.TryGetValue(key, out var held) || code.Record.Stamp >= held.Record.Stamp) latest[key] = code;
    }

    private static ulong[] Words(CodeRecord record, int bits)
    {
        var code = HammingCode.FromBase64(record.Code);
        if (code.Bits != bits)
            throw new InvalidDataException($"Record {record.Id} holds a {code.Bits}-bit code; its encoder makes {bits}-bit ones.");
        return code.Words.ToArray();
    }

    // One packed bulk load per modality: no per-code upserts, and no per-key map until the first change arrives.
    private void BulkLoad(Dictionary<long, LoadedCode> latest, int bits)
    {
        int words = HammingCode.WordCount(bits);
        var sizes = new Dictionary<Modality, int>();
        foreach (var code in latest.Values) sizes[code.Record.Modality] = sizes.GetValueOrDefault(code.Record.Modality) + 1;
        var keys = sizes.ToDictionary(s => s.Key, s => new long[s.Value]);
        var codes = sizes.ToDictionary(s => s.Key, s => new ulong[s.Value * words]);
        var filled = sizes.ToDictionary(s => s.Key, _ => 0);
        var records = new Dictionary<long, CodeRecord>(latest.Count);
        foreach (var (key, code) in latest)
        {
            var modality = code.Record.Modality;
            int i = filled[modality]++;
            keys[modality][i] = key;
            code.Words.CopyTo(codes[modality].AsSpan(i * words, words));
            records[key] = code.Record;
        }
        foreach (var modality in sizes.Keys) _byModality[modality].Load(keys[modality], codes[modality]);
        _records = records;
    }

    private sealed record ShardRead(string Shard, CodeShardSnapshot? Snapshot, bool Refused, List<(long Key, LoadedCode Code)> FromStore);

    /// <summary>A record and its code's words, so snapshot codes are not decoded from text again.</summary>
    private readonly record struct LoadedCode(CodeRecord Record, ulong[] Words);
}
