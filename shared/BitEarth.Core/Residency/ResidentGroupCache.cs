using System.Buffers.Binary;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// The shard groups an instance holds under <see cref="ArchiveOptions.MaxResidentCodes"/>: whole groups (one
/// <see cref="ResidentIndex"/> over a group's shards each), loaded when a search needs one (snapshot plus change-feed
/// tail, as a whole index loads) and the least recently used unpinned group evicted to make room. A group in use is
/// pinned; a load waits for room rather than going over the cap. A load first reserves its snapshots' counts (one small
/// ranged read per shard), then its exact count; a change-feed tail beyond the snapshot can put it briefly above the cap
/// until a group is released. Thread-safe.
/// </summary>
public sealed class ResidentGroupCache(ICodeStore store, IBlobStore? snapshots, ArchiveOptions options) : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _measured = new(StringComparer.Ordinal);
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _held, _clock, _hits, _misses, _evictions;

    public long Cap => options.MaxResidentCodes;

    /// <summary>Codes held and reserved now, groups held, and how searches found their group so far.</summary>
    public ResidencyCounters Counters
    {
        get { lock (_gate) return new ResidencyCounters(_held, _entries.Count, _hits, _misses, _evictions); }
    }

    /// <summary>The codes of <paramref name="encoder"/>'s archive, once every group has been measured; null before.</summary>
    public long? MeasuredCodes(string encoder)
    {
        var names = GroupKeys(encoder);
        lock (_gate) return names.All(_measured.ContainsKey) ? names.Sum(n => _measured[n]) : null;
    }

    /// <summary>
    /// Whether every group of <paramref name="encoder"/> has been measured and together they fit the cap: then one
    /// instance can hold the archive and a query is best answered in process.
    /// </summary>
    public bool ArchiveFits(string encoder) => MeasuredCodes(encoder) <= Cap;

    private List<string> GroupKeys(string encoder) => Enum.GetValues<Modality>()
        .SelectMany(m => ShardPlan.Groups(options.PrefixBits, options.ShardsPerGroup).Select(p => Key(encoder, new ShardGroup(m, p))))
        .ToList();

    /// <summary>
    /// Runs <paramref name="use"/> on <paramref name="group"/>'s shards, resident for the duration (loaded first when
    /// this instance does not hold them); <c>Loaded</c> says whether this call had to load them.
    /// </summary>
    public async Task<(T Result, bool Loaded)> UseAsync<T>(string encoder, int bits, ShardGroup group, Func<ResidentIndex, Task<T>> use,
        CancellationToken ct)
    {
        var (entry, loading) = Pin(encoder, bits, group);
        try
        {
            ResidentIndex index;
            try
            {
                index = await entry.Load.WaitAsync(ct);
            }
            catch (Exception) when (entry.Load.IsFaulted || entry.Load.IsCanceled)
            {
                lock (_gate) if (_entries.GetValueOrDefault(entry.Key) == entry) _entries.Remove(entry.Key);
                throw;
            }
            await index.RefreshIfDueAsync(store, options, ct);
            return (await use(index), loading);
        }
        finally
        {
            Unpin(entry);
        }
    }

    /// <summary>The code and modality this instance holds for <paramref name="patchId"/> in a resident group, or null.</summary>
    public (HammingCode Code, Modality Modality)? ResidentCodeOf(string encoder, string patchId)
    {
        var held = PinLoaded(encoder);
        try
        {
            foreach (var entry in held)
                if (entry.Load.Result.CodeOf(patchId) is { } code && entry.Load.Result.ModalityOf(patchId) is { } modality) return (code, modality);
            return null;
        }
        finally
        {
            foreach (var entry in held) Unpin(entry);
        }
    }

    /// <summary>
    /// The code of an archived patch: from a resident group, else hashed again from its blob (a code is a pure function
    /// of encoder and patch), so a query by id needs no group loaded; null when the archive has no such patch.
    /// </summary>
    public async Task<(HammingCode Code, Modality Modality)?> CodeOfAsync(IPatchHasher hasher, string patchId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        if (ResidentCodeOf(hasher.Version, patchId) is { } resident) return resident;
        if (snapshots is null || await store.GetPatchAsync(patchId, ct) is not { } record) return null;
        byte[]? content;
        await using (var stream = await snapshots.OpenReadAsync(Containers.Patches, record.Blob, ct))
        {
            if (stream is null) return null;
            content = await PatchBlobReader.ReadBlobAsync(stream, ct);
        }
        if (content is null) return null;
        var patch = PatchBlobReader.Read(record.Blob, content);
        return patch.Id == patchId && hasher.Modalities.Contains(patch.Modality) ? (hasher.Hash(patch), patch.Modality) : null;
    }

    /// <summary>Applies a record this process wrote to the groups it holds (others read it from the store when they load).</summary>
    public async Task ApplyAsync(CodeRecord record)
    {
        var held = PinLoaded(record.Encoder);
        try
        {
            foreach (var entry in held) await entry.Load.Result.ApplyAsync([record]);
        }
        finally
        {
            foreach (var entry in held) Unpin(entry);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _entries.Values)
                if (entry.Load.IsCompletedSuccessfully) entry.Load.Result.Dispose();
            _entries.Clear();
        }
    }

    private static string Key(string encoder, ShardGroup group) => $"{encoder}|{group.Name}";

    private (Entry Entry, bool Loading) Pin(string encoder, int bits, ShardGroup group)
    {
        var key = Key(encoder, group);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var held))
            {
                held.Pins++;
                _hits++;
                return (held, false);
            }
            var entry = new Entry(key) { Pins = 1 };
            entry.Load = Task.Run(() => LoadAsync(entry, encoder, bits, group));
            _entries[key] = entry;
            _misses++;
            return (entry, true);
        }
    }

    private List<Entry> PinLoaded(string encoder)
    {
        lock (_gate)
        {
            var held = _entries.Values.Where(e => e.Key.StartsWith(encoder + "|", StringComparison.Ordinal) && e.Load.IsCompletedSuccessfully).ToList();
            foreach (var entry in held) entry.Pins++;
            return held;
        }
    }

    private void Unpin(Entry entry)
    {
        lock (_gate)
        {
            entry.Pins--;
            entry.LastUse = ++_clock;
            MakeRoom(0, except: null);
            Released();
        }
    }

    /// <summary>Shared by every caller of the group, so it ignores their tokens (one giving up must not fail the others).</summary>
    private async Task<ResidentIndex> LoadAsync(Entry entry, string encoder, int bits, ShardGroup group)
    {
        var shards = group.Prefixes.Order().Select(p => (group.Modality, p)).ToArray();
        long need;
        lock (_gate) need = _measured.GetValueOrDefault(entry.Key, -1);
        if (need < 0) need = await SnapshotCountAsync(encoder, shards);
        if (need > Cap)
            throw new InvalidOperationException($"Shard group {entry.Key} holds {need} codes, more than BitEarth:MaxResidentCodes ({Cap}): " +
                "raise the cap or make groups smaller (BitEarth:ShardsPerGroup).");
        while (true)
        {
            Task released;
            lock (_gate)
            {
                if (MakeRoom(need, entry))
                {
                    _held += need;
                    entry.Codes = need;
                    break;
                }
                released = _released.Task;
            }
            await released;
        }
        ResidentIndex index;
        try
        {
            index = await ResidentIndex.LoadAsync(store, snapshots, encoder, bits, options, CancellationToken.None, shards);
        }
        catch (Exception)
        {
            lock (_gate)
            {
                _held -= entry.Codes;
                entry.Codes = 0;
                Released();
            }
            throw;
        }
        lock (_gate)
        {
            _held += index.Count - entry.Codes;
            entry.Codes = index.Count;
            _measured[entry.Key] = index.Count;
            MakeRoom(0, entry);
        }
        return index;
    }

    /// <summary>Evicts unpinned groups, least recently used first, until <paramref name="need"/> more codes fit; call under the lock.</summary>
    private bool MakeRoom(long need, Entry? except)
    {
        while (_held + need > Cap)
        {
            Entry? victim = null;
            foreach (var entry in _entries.Values)
                if (entry != except && entry.Pins == 0 && entry.Load.IsCompletedSuccessfully && (victim is null || entry.LastUse < victim.LastUse))
                    victim = entry;
            if (victim is null) return false;
            _entries.Remove(victim.Key);
            _held -= victim.Codes;
            _evictions++;
            victim.Load.Result.Dispose();
        }
        return true;
    }

    private void Released()
    {
        var released = _released;
        _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.TrySetResult();
    }

    /// <summary>The record counts the shards' snapshot headers give (a 40-byte read each); zero for a shard without one.</summary>
    private async Task<long> SnapshotCountAsync(string encoder, IReadOnlyList<(Modality Modality, int Prefix)> shards)
    {
        if (snapshots is null) return 0;
        long total = 0;
        foreach (var (modality, prefix) in shards)
        {
            var header = new byte[ShardSnapshotLayout.FixedHeaderBytes];
            int? got = await snapshots.ReadRangeAsync(Containers.Snapshots, CodeShardSnapshot.BlobName(encoder, modality, prefix), 0, header, CancellationToken.None);
            if (got != header.Length) continue;
            try
            {
                ShardSnapshotLayout.IndexLength(header);
            }
            catch (ShardSnapshotFormatException)
            {
                continue; // the load reads this shard whole; its count is measured then
            }
            total += Math.Max(0, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(28))); // count, after magic, version, bits, prefix bits, prefix, stamp
        }
        return total;
    }

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public Task<ResidentIndex> Load { get; set; } = null!;

        public int Pins { get; set; }

        public long LastUse { get; set; }

        public long Codes { get; set; }
    }
}

/// <summary>What a <see cref="ResidentGroupCache"/> holds and how searches found their groups (hits: already resident).</summary>
public sealed record ResidencyCounters(long HeldCodes, int HeldGroups, long Hits, long Misses, long Evictions);
