using System.Diagnostics;
using System.Numerics;
using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// All codes of one encoder held in memory, one <see cref="ResidentShard"/> per modality and prefix: keys, packed codes
/// and where each code's metadata is. Each shard loads from the index section of its snapshot blob plus the store's
/// changes since; a shard without a usable snapshot is read whole and its snapshot written, so metadata stays in blobs
/// and is read only for the hits of a query (<see cref="RecordsOfAsync"/>). Without a snapshot store every record is
/// held whole. Afterwards the index follows each shard's change feed (<see cref="RefreshIfDueAsync"/>), so it sees codes
/// that other processes write, and takes writes of this process directly (<see cref="ApplyAsync"/>).
/// Shards are the unit of residency: an index that holds only some of them is a matter of which ones it loads.
/// </summary>
public sealed class ResidentIndex : IDisposable
{
    private readonly Dictionary<Modality, ResidentShard[]> _shards;
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<string, long> _seenByShard = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly int _words;
    private ICodeStore? _store;
    private IBlobStore? _snapshots;
    private ArchiveOptions? _options;
    private HashSet<(Modality, int)>? _held;
    private long _refreshedAt = Environment.TickCount64;

    public ResidentIndex(string encoder, int bits, int prefixBits)
    {
        HammingCode.ValidateBits(bits);
        Encoder = encoder;
        Bits = bits;
        PrefixBits = prefixBits;
        _words = HammingCode.WordCount(bits);
        _shards = Enum.GetValues<Modality>().ToDictionary(m => m, _ => Enumerable.Range(0, 1 << prefixBits).Select(_ => new ResidentShard(_words)).ToArray());
    }

    public string Encoder { get; }

    public int Bits { get; }

    public int PrefixBits { get; }

    public int Count => Read(() => _shards.Values.Sum(shards => shards.Sum(s => s.Count)));

    /// <summary>Bytes of the resident arrays: keys, code words, entry offsets, with their slack.</summary>
    public long ArrayBytes => Read(() => _shards.Values.Sum(shards => shards.Sum(s => s.ArrayBytes)));

    /// <summary>Records held whole (written since their shard's snapshot, or loaded without a snapshot store).</summary>
    public int OverlayRecords => Read(() => _shards.Values.Sum(shards => shards.Sum(s => s.OverlayCount)));

    /// <summary>How the index was loaded; null for an index built by <see cref="ApplyAsync"/> alone.</summary>
    public ResidentIndexLoad? Loaded { get; private set; }

    /// <summary>
    /// Loads every shard of <paramref name="encoder"/>: from its snapshot in <paramref name="snapshots"/> (when given and
    /// usable: taken from this store, same code and prefix lengths) plus the records stamped since, less
    /// <see cref="ArchiveOptions.StampOverlap"/>; otherwise item by item (writing the snapshot when a store is given).
    /// A key found in two shards (a patch re-hashed to another prefix) keeps its latest record.
    /// With <paramref name="only"/>, just those shards (a shard group): the others stay empty and ignore writes.
    /// </summary>
    public static async Task<ResidentIndex> LoadAsync(ICodeStore store, IBlobStore? snapshots, string encoder, int bits,
        ArchiveOptions options, CancellationToken ct, IReadOnlyCollection<(Modality Modality, int Prefix)>? only = null)
    {
        var clock = Stopwatch.StartNew();
        var shards = only?.ToArray() ?? Enum.GetValues<Modality>()
            .SelectMany(m => Enumerable.Range(0, 1 << options.PrefixBits).Select(p => (Modality: m, Prefix: p)))
            .ToArray();
        var loads = new ShardLoad[shards.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, shards.Length),
            new ParallelOptions { MaxDegreeOfParallelism = options.ShardLoadConcurrency, CancellationToken = ct },
            async (i, token) => loads[i] = await LoadShardAsync(store, snapshots, encoder, shards[i].Modality, shards[i].Prefix, bits, options, token));

        var index = new ResidentIndex(encoder, bits, options.PrefixBits)
        {
            _store = store, _snapshots = snapshots, _options = options, _held = only is null ? null : [.. shards],
        };
        for (int i = 0; i < shards.Length; i++)
        {
            index._shards[shards[i].Modality][shards[i].Prefix] = loads[i].Shard;
            index._seenByShard[loads[i].Name] = loads[i].Seen;
        }
        foreach (var modality in Enum.GetValues<Modality>()) await index.KeepLatestAcrossShardsAsync(modality, ct);
        index._refreshedAt = Environment.TickCount64;
        index.Loaded = new ResidentIndexLoad(
            loads.Count(l => l.FromSnapshot), loads.Count(l => !l.FromSnapshot), loads.Count(l => l.Refused),
            loads.Sum(l => l.RecordsFromSnapshot), loads.Sum(l => l.RecordsFromStore), clock.Elapsed);
        return index;
    }

    /// <summary>
    /// Applies each shard's changes since the index last looked, when <see cref="ArchiveOptions.IndexRefreshInterval"/>
    /// has passed since the last refresh (or load). Shards are read side by side like a load
    /// (<see cref="ArchiveOptions.ShardLoadConcurrency"/>) and applied at once when all reads succeeded.
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
            var positions = Read(() => _seenByShard.ToArray());
            var changes = new List<CodeRecord>[positions.Length];
            await Parallel.ForEachAsync(Enumerable.Range(0, positions.Length),
                new ParallelOptions { MaxDegreeOfParallelism = options.ShardLoadConcurrency, CancellationToken = ct },
                async (i, token) => changes[i] = await store.ReadShardSinceAsync(positions[i].Key, positions[i].Value - options.StampOverlapSeconds, token).ToListAsync(token));
            await ApplyAsync([.. changes.SelectMany(c => c)], ct);
            Write(() =>
            {
                for (int i = 0; i < positions.Length; i++)
                    _seenByShard[positions[i].Key] = Math.Max(positions[i].Value, changes[i].Select(r => r.Stamp).DefaultIfEmpty(0).Max());
            });
            Volatile.Write(ref _refreshedAt, Environment.TickCount64);
        }
        finally
        {
            _refreshing.Release();
        }
    }

    /// <summary>
    /// Upserts records of this encoder. A record older than the one held for its patch is ignored: a change feed read
    /// with overlap can bring back a patch's earlier code from the shard it has since left. A record not yet stamped
    /// (just written by this process) always applies; its stamped copy arrives with the next refresh. A patch whose
    /// code moved to another prefix leaves its old shard.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyCollection<CodeRecord> records, CancellationToken ct = default)
    {
        var latest = new Dictionary<long, (CodeRecord Record, ulong[] Words, int Prefix)>();
        foreach (var record in records)
        {
            if (record.Encoder != Encoder) continue;
            long key = PatchKey.Of(record.PatchId);
            var words = Words(record);
            if (!latest.TryGetValue(key, out var held) || record.Stamp == 0 || record.Stamp >= held.Record.Stamp)
                latest[key] = (record, words, (int)(words[0] & ((1UL << PrefixBits) - 1)));
        }
        if (latest.Count == 0) return;

        // The stamp of what is held decides, where it is known: in memory for an overlay record, in the snapshot
        // entry (one read) for a snapshot record of another shard. A snapshot record of the same shard is older than
        // what the store gives for that shard now.
        var stale = new HashSet<long>();
        var reads = new List<(long Key, Task<CodeRecord?> Held)>();
        Read(() =>
        {
            foreach (var (key, change) in latest)
            {
                if (change.Record.Stamp == 0 || Locate(change.Record.Modality, key) is not { } at) continue;
                var shard = _shards[change.Record.Modality][at.Prefix];
                if (shard.OverlayRecord(key) is { } overlay)
                {
                    if (overlay.Stamp != 0 && change.Record.Stamp < overlay.Stamp) stale.Add(key);
                }
                else if (at.Prefix != change.Prefix && _snapshots is not null && shard.Snapshot is { } header)
                {
                    reads.Add((key, header.ReadRecordAsync(_snapshots, shard.EntryAt(at.Slot), key, CodeText(shard.CodeAt(at.Slot)), ct)));
                }
            }
        });
        foreach (var (key, held) in reads)
            if (await held is { } record && latest[key].Record.Stamp < record.Stamp) stale.Add(key);

        Write(() =>
        {
            foreach (var group in latest.Where(c => !stale.Contains(c.Key)).GroupBy(c => (c.Value.Record.Modality, c.Value.Prefix)))
            {
                var shards = _shards[group.Key.Modality];
                foreach (var (key, _) in group)
                    for (int p = 0; p < shards.Length; p++)
                        if (p != group.Key.Prefix) shards[p].Remove(key);
                if (_held is not null && !_held.Contains((group.Key.Modality, group.Key.Prefix))) continue; // another group's shard
                shards[group.Key.Prefix].UpsertMany([.. group.Select(c => new ShardChange(c.Key, c.Value.Words, c.Value.Record)).OrderBy(c => c.Key)]);
            }
        });
    }

    /// <summary>
    /// Exact top-k (ties by key) over the shards of <paramref name="group"/>, visited in its order, nearest prefix first:
    /// the first shard whose lower bound exceeds the k-th distance ends the search, so the plan is the one ordering.
    /// </summary>
    public PartialTopK Search(ShardGroup group, HammingCode query, int k)
    {
        if (query.Bits != Bits) throw new ArgumentException($"Index holds {Bits}-bit codes, got {query.Bits}.", nameof(query));
        _lock.EnterReadLock();
        try
        {
            var shards = _shards[group.Modality];
            var top = new TopK(k, Bits);
            int q = query.Prefix(PrefixBits), visited = 0;
            long scanned = 0;
            foreach (int prefix in group.Prefixes)
            {
                if (top.IsFull && BitOperations.PopCount((uint)(prefix ^ q)) > top.WorstDistance) break;
                if ((uint)prefix >= (uint)shards.Length || shards[prefix].Count == 0) continue;
                visited++;
                scanned += shards[prefix].Count;
                shards[prefix].Scan(query.Words, top);
            }
            return new PartialTopK(top.ToSortedList(), visited, scanned);
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Exact top-k of one modality over all its shards, with the records behind the hits.</summary>
    public async Task<IReadOnlyList<RankedPatch>> SearchAsync(Modality modality, HammingCode query, int k, CancellationToken ct = default)
    {
        var all = new ShardGroup(modality, [.. Enumerable.Range(0, 1 << PrefixBits).OrderBy(p => BitOperations.PopCount((uint)(p ^ query.Prefix(PrefixBits)))).ThenBy(p => p)]);
        var hits = Search(all, query, k).Hits;
        var records = await RecordsOfAsync([.. hits.Select(h => h.Key)], ct);
        return [.. hits.Select((h, i) => new RankedPatch(h.Key, h.Distance, records[i] ?? throw new InvalidOperationException($"Hit {h.Key} has no record.")))];
    }

    /// <summary>The code held for <paramref name="patchId"/>, or null when the index has none.</summary>
    public HammingCode? CodeOf(string patchId)
    {
        long key = PatchKey.Of(patchId);
        return Read(() =>
        {
            foreach (var (modality, shards) in _shards)
                if (Locate(modality, key) is { } at) return new HammingCode(Bits, shards[at.Prefix].CodeAt(at.Slot).ToArray());
            return null;
        });
    }

    /// <summary>The modality whose shards hold <paramref name="patchId"/>'s code, or null when the index has none.</summary>
    public Modality? ModalityOf(string patchId)
    {
        long key = PatchKey.Of(patchId);
        return Read(() =>
        {
            foreach (var modality in _shards.Keys)
                if (Locate(modality, key) is not null) return (Modality?)modality;
            return null;
        });
    }

    /// <summary>The record held for <paramref name="patchId"/>, or null when the index has no code for it.</summary>
    public async Task<CodeRecord?> RecordOfAsync(string patchId, CancellationToken ct = default) =>
        (await RecordsOfAsync([PatchKey.Of(patchId)], ct))[0] is { } record && record.PatchId == patchId ? record : null;

    /// <summary>
    /// The records behind hit keys, null for a key the index does not hold (yet): from memory for records written since
    /// their shard's snapshot, else one ranged read of the snapshot blob per key, side by side. A shard whose blob was
    /// rewritten since it loaded (an entry that is no longer its key's) is reloaded from the new snapshot, once.
    /// </summary>
    public async Task<IReadOnlyList<CodeRecord?>> RecordsOfAsync(IReadOnlyList<long> keys, CancellationToken ct = default)
    {
        var results = new CodeRecord?[keys.Count];
        for (int attempt = 0; ; attempt++)
        {
            var reads = new List<(int I, Modality Modality, int Prefix, Task<CodeRecord?> Read)>();
            Read(() =>
            {
                for (int i = 0; i < keys.Count; i++)
                {
                    if (results[i] is not null) continue;
                    foreach (var (modality, shards) in _shards)
                    {
                        if (Locate(modality, keys[i]) is not { } at) continue;
                        var shard = shards[at.Prefix];
                        if (shard.OverlayRecord(keys[i]) is { } overlay) results[i] = overlay;
                        else if (shard.Snapshot is { } header && _snapshots is not null)
                            reads.Add((i, modality, at.Prefix, header.ReadRecordAsync(_snapshots, shard.EntryAt(at.Slot), keys[i], CodeText(shard.CodeAt(at.Slot)), ct)));
                        break;
                    }
                }
            });
            var moved = new HashSet<(Modality, int)>();
            foreach (var (i, modality, prefix, read) in reads)
            {
                if (await read is { } record) results[i] = record;
                else moved.Add((modality, prefix));
            }
            if (moved.Count == 0 || attempt > 0 || _store is null || _options is null) return results;
            foreach (var (modality, prefix) in moved) await ReloadShardAsync(modality, prefix, ct);
        }
    }

    public void Dispose()
    {
        _lock.Dispose();
        _refreshing.Dispose();
    }

    /// <summary>One shard's snapshot blob was rewritten: load it again (snapshot and changes since) and swap it in.</summary>
    private async Task ReloadShardAsync(Modality modality, int prefix, CancellationToken ct)
    {
        var load = await LoadShardAsync(_store!, _snapshots, Encoder, modality, prefix, Bits, _options!, ct);
        Write(() =>
        {
            _shards[modality][prefix] = load.Shard;
            _seenByShard[load.Name] = Math.Min(_seenByShard.GetValueOrDefault(load.Name, load.Seen), load.Seen);
        });
        await KeepLatestAcrossShardsAsync(modality, ct);
    }

    /// <summary>One shard: its usable snapshot's index section and the records stamped since, or all its records when it has none.</summary>
    private static async Task<ShardLoad> LoadShardAsync(ICodeStore store, IBlobStore? snapshots, string encoder, Modality modality,
        int prefix, int bits, ArchiveOptions options, CancellationToken ct)
    {
        var name = CodeRecord.ShardFor(encoder, modality, prefix);
        int words = HammingCode.WordCount(bits);
        ShardSnapshotIndex? snapshot = null;
        List<CodeRecord> feed = [];
        bool refused = false;
        if (snapshots is not null)
        {
            try
            {
                if (await ShardSnapshotBlob.OpenAsync(snapshots, encoder, modality, prefix, ct) is { } blob)
                {
                    // The change feed before the index section, so the shard's arrays are allocated with room for it.
                    feed = await FeedSinceAsync(blob.Stamp);
                    snapshot = await blob.ReadIndexAsync(feed.Count, ct);
                    if (snapshot.Header.Stamp != blob.Stamp) feed = await FeedSinceAsync(snapshot.Header.Stamp); // rewritten between the reads
                }
            }
            catch (ShardSnapshotFormatException)
            {
                refused = true; // read the shard whole instead and write a good snapshot
            }
            if (snapshot is not null && !snapshot.Header.Fits(store, bits, options.PrefixBits))
            {
                refused = true;
                snapshot = null;
            }
        }
        if (snapshot is null)
        {
            var records = await store.ReadShardAsync(name, ct).ToListAsync(ct);
            long stamp = records.Count == 0 ? 0 : records.Max(r => r.Stamp);
            if (snapshots is null)
            {
                var changes = records.Select(r => new ShardChange(PatchKey.Of(r.PatchId), Words(r, bits), r)).OrderBy(c => c.Key).ToList();
                return new ShardLoad(name, ResidentShard.InMemory(words, changes), stamp, false, refused, 0, records.Count);
            }
            // Written here so this shard's metadata is read from a blob like every other's; a concurrent snapshot
            // writer's blob is as good (each is complete up to its own stamp).
            CodeShardSnapshot written;
            try
            {
                written = new CodeShardSnapshot(store.Location, encoder, modality, bits, options.PrefixBits, prefix, stamp, records);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"Shard {name} cannot be loaded: {e.Message}", e);
            }
            var bytes = written.ToBytes();
            using (var content = new MemoryStream(bytes, writable: false))
                await snapshots.WriteAsync(Containers.Snapshots, CodeShardSnapshot.BlobName(encoder, modality, prefix), content, ct);
            snapshot = ShardSnapshotIndex.Parse(bytes);
            var whole = new ResidentShard(words, snapshot.Header, snapshot.Keys, snapshot.Codes, snapshot.Entries, snapshot.Count);
            return new ShardLoad(name, whole, stamp, false, refused, 0, records.Count);
        }
        var shard = new ResidentShard(words, snapshot.Header, snapshot.Keys, snapshot.Codes, snapshot.Entries, snapshot.Count);
        // The store's current version of a record of this shard is never older than the snapshot's.
        shard.UpsertMany([.. feed.Select(r => new ShardChange(PatchKey.Of(r.PatchId), Words(r, bits), r)).OrderBy(c => c.Key)]);
        long seen = snapshot.Header.Stamp;
        foreach (var record in feed) seen = Math.Max(seen, record.Stamp);
        return new ShardLoad(name, shard, seen, true, refused, snapshot.Count, feed.Count);

        Task<List<CodeRecord>> FeedSinceAsync(long stamp) =>
            store.ReadShardSinceAsync(name, stamp - options.StampOverlapSeconds, ct).ToListAsync(ct).AsTask();
    }

    /// <summary>
    /// A patch re-hashed to another prefix has a record in two shards (codes are never deleted): finds keys held by
    /// more than one shard of <paramref name="modality"/> and keeps the latest stamp (the later prefix on a tie).
    /// The keys are compared range by range with a small bitmap (<see cref="CrossShardDuplicates"/>): no set of every key.
    /// </summary>
    private async Task KeepLatestAcrossShardsAsync(Modality modality, CancellationToken ct)
    {
        var duplicates = Read(() => CrossShardDuplicates.Find(_shards[modality]));
        if (duplicates.Count == 0) return;
        var losers = new List<(long Key, int Prefix)>();
        foreach (var (key, prefixes) in duplicates)
        {
            var stamps = new List<(int Prefix, long Stamp)>();
            foreach (int prefix in prefixes) stamps.Add((prefix, (await RecordInShardAsync(modality, prefix, key, ct))?.Stamp ?? long.MinValue));
            var winner = stamps.OrderByDescending(s => s.Stamp).ThenByDescending(s => s.Prefix).First();
            losers.AddRange(stamps.Where(s => s.Prefix != winner.Prefix).Select(s => (key, s.Prefix)));
        }
        Write(() =>
        {
            foreach (var (key, prefix) in losers) _shards[modality][prefix].Remove(key);
        });
    }

    private async Task<CodeRecord?> RecordInShardAsync(Modality modality, int prefix, long key, CancellationToken ct)
    {
        Task<CodeRecord?>? read = null;
        var overlay = Read(() =>
        {
            var shard = _shards[modality][prefix];
            int slot = shard.Find(key);
            if (slot < 0) return null;
            if (shard.OverlayRecord(key) is { } record) return record;
            if (shard.Snapshot is { } header && _snapshots is not null)
                read = header.ReadRecordAsync(_snapshots, shard.EntryAt(slot), key, CodeText(shard.CodeAt(slot)), ct);
            return null;
        });
        return overlay ?? (read is null ? null : await read);
    }

    /// <summary>The prefix and slot of <paramref name="key"/> among the shards of <paramref name="modality"/>; call under a lock.</summary>
    private (int Prefix, int Slot)? Locate(Modality modality, long key)
    {
        var shards = _shards[modality];
        for (int p = 0; p < shards.Length; p++)
            if (shards[p].Find(key) is var slot and >= 0) return (p, slot);
        return null;
    }

    private string CodeText(ReadOnlySpan<ulong> words) => new HammingCode(Bits, words.ToArray()).ToBase64();

    private ulong[] Words(CodeRecord record) => Words(record, Bits);

    private static ulong[] Words(CodeRecord record, int bits)
    {
        var code = HammingCode.FromBase64(record.Code);
        if (code.Bits != bits)
            throw new InvalidDataException($"Record {record.Id} holds a {code.Bits}-bit code; its encoder makes {bits}-bit ones.");
        return code.Words.ToArray();
    }

    private bool IsDue(TimeSpan interval) =>
        Environment.TickCount64 - Volatile.Read(ref _refreshedAt) >= (long)interval.TotalMilliseconds;

    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try { return read(); }
        finally { _lock.ExitReadLock(); }
    }

    private void Read(Action read)
    {
        _lock.EnterReadLock();
        try { read(); }
        finally { _lock.ExitReadLock(); }
    }

    private void Write(Action write)
    {
        _lock.EnterWriteLock();
        try { write(); }
        finally { _lock.ExitWriteLock(); }
    }

    private sealed record ShardLoad(string Name, ResidentShard Shard, long Seen, bool FromSnapshot, bool Refused,
        long RecordsFromSnapshot, long RecordsFromStore);
}
