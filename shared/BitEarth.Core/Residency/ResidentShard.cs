using BitEarth.Core.Index;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// The codes of one shard (encoder, modality, prefix) in memory: keys strictly ascending, the packed codes and, per
/// code, where its metadata is: the offset of its entry in the snapshot blob the shard was loaded from, or
/// <see cref="InOverlay"/> for a record that arrived since (change feed, this process's writes), which is held whole.
/// So a key finds its slot by binary search (no per-key map), and a resident code costs its key, its code words and
/// four bytes. Not thread-safe: <see cref="ResidentIndex"/> guards it.
/// </summary>
internal sealed class ResidentShard
{
    public const uint InOverlay = uint.MaxValue;

    private readonly int _words;
    private readonly Dictionary<long, CodeRecord> _overlay = [];
    private long[] _keys;
    private ulong[] _codes;
    private uint[] _entries;

    /// <summary>
    /// A shard over the arrays of a snapshot's index section, which it takes as they are (no copy): the first
    /// <paramref name="count"/> slots hold codes, the rest are room for the change feed.
    /// </summary>
    public ResidentShard(int words, SnapshotHeader? snapshot, long[] keys, ulong[] codes, uint[] entries, int count)
    {
        if ((uint)count > (uint)keys.Length || codes.Length != keys.Length * words || entries.Length != keys.Length)
            throw new ArgumentException($"{count} codes do not fit arrays of {keys.Length} keys, {codes.Length} words and {entries.Length} entries.");
        _words = words;
        Snapshot = snapshot;
        _keys = keys;
        _codes = codes;
        _entries = entries;
        Count = count;
    }

    public ResidentShard(int words) : this(words, null, [], [], [], 0)
    {
    }

    /// <summary>A shard of records read from the store with no snapshot to point into: all of them in the overlay.</summary>
    public static ResidentShard InMemory(int words, IReadOnlyList<ShardChange> sorted)
    {
        var shard = new ResidentShard(words);
        shard.UpsertMany(sorted);
        return shard;
    }

    /// <summary>The snapshot whose blob the entry offsets point into; null when every record is in the overlay.</summary>
    public SnapshotHeader? Snapshot { get; }

    public int Count { get; private set; }

    public int OverlayCount => _overlay.Count;

    public ReadOnlySpan<long> Keys => _keys.AsSpan(0, Count);

    /// <summary>The key array itself (its first <see cref="Count"/> entries are the keys), for loops over many shards at once.</summary>
    public long[] KeyArray => _keys;

    /// <summary>Bytes of the arrays (capacity included); the overlay's records are counted by <see cref="OverlayCount"/>.</summary>
    public long ArrayBytes => (long)_keys.Length * sizeof(long) + (long)_codes.Length * sizeof(ulong) + (long)_entries.Length * sizeof(uint);

    /// <summary>The slot of <paramref name="key"/>, or -1.</summary>
    public int Find(long key)
    {
        int slot = Array.BinarySearch(_keys, 0, Count, key);
        return slot >= 0 ? slot : -1;
    }

    public ReadOnlySpan<ulong> CodeAt(int slot) => _codes.AsSpan(slot * _words, _words);

    public uint EntryAt(int slot) => _entries[slot];

    public CodeRecord? OverlayRecord(long key) => _overlay.GetValueOrDefault(key);

    /// <summary>Adds or replaces the code of <paramref name="record"/>'s key; its metadata goes to the overlay.</summary>
    public void Upsert(long key, ReadOnlySpan<ulong> code, CodeRecord record)
    {
        int slot = Array.BinarySearch(_keys, 0, Count, key);
        if (slot < 0)
        {
            slot = ~slot;
            if (Count == _keys.Length) Grow();
            Array.Copy(_keys, slot, _keys, slot + 1, Count - slot);
            Array.Copy(_entries, slot, _entries, slot + 1, Count - slot);
            Array.Copy(_codes, slot * _words, _codes, (slot + 1) * _words, (Count - slot) * _words);
            _keys[slot] = key;
            Count++;
        }
        code.CopyTo(_codes.AsSpan(slot * _words, _words));
        _entries[slot] = InOverlay;
        _overlay[key] = record;
    }

    /// <summary>
    /// Upserts many codes at once (<paramref name="batch"/> in ascending key order, keys distinct), as a change feed
    /// brings thousands: codes of held keys are replaced where they are; new keys are merged in with one pass from the
    /// end, in place when the arrays have room (a snapshot loads with room for its change feed), else into larger ones.
    /// </summary>
    public void UpsertMany(IReadOnlyList<ShardChange> batch)
    {
        if (batch.Count <= 1)
        {
            foreach (var change in batch) Upsert(change.Key, change.Words, change.Record);
            return;
        }
        int added = 0;
        foreach (var change in batch)
        {
            if (Find(change.Key) is var slot and >= 0) Set(slot, change);
            else added++;
        }
        if (added == 0) return;

        int count = Count + added;
        var (keys, codes, entries) = count <= _keys.Length
            ? (_keys, _codes, _entries)
            : (new long[Capacity(count)], new ulong[Capacity(count) * _words], new uint[Capacity(count)]);
        int i = Count - 1, o = count - 1;
        for (int j = batch.Count - 1; j >= 0; o--)
        {
            if (i >= 0 && _keys[i] >= batch[j].Key)
            {
                if (_keys[i] == batch[j].Key) j--; // already replaced in place: it moves like any held code
                keys[o] = _keys[i];
                entries[o] = _entries[i];
                _codes.AsSpan(i * _words, _words).CopyTo(codes.AsSpan(o * _words, _words));
                i--;
            }
            else
            {
                var change = batch[j--];
                keys[o] = change.Key;
                entries[o] = InOverlay;
                change.Words.CopyTo(codes.AsSpan(o * _words, _words));
                _overlay[change.Key] = change.Record;
            }
        }
        if (keys != _keys) // the codes below the first change stay where they are, in the new arrays too
        {
            Array.Copy(_keys, keys, i + 1);
            Array.Copy(_entries, entries, i + 1);
            Array.Copy(_codes, codes, (i + 1) * _words);
        }
        (_keys, _codes, _entries, Count) = (keys, codes, entries, count);
    }

    public bool Remove(long key)
    {
        int slot = Find(key);
        if (slot < 0) return false;
        int after = Count - slot - 1;
        Array.Copy(_keys, slot + 1, _keys, slot, after);
        Array.Copy(_entries, slot + 1, _entries, slot, after);
        Array.Copy(_codes, (slot + 1) * _words, _codes, slot * _words, after * _words);
        Count--;
        _overlay.Remove(key);
        return true;
    }

    public void Scan(ReadOnlySpan<ulong> query, TopK top) =>
        HammingScan.Scan(_codes.AsSpan(0, Count * _words), _keys.AsSpan(0, Count), query, top);

    private void Set(int slot, ShardChange change)
    {
        change.Words.CopyTo(_codes.AsSpan(slot * _words, _words));
        _entries[slot] = InOverlay;
        _overlay[change.Key] = change.Record;
    }

    private void Grow()
    {
        int capacity = Capacity(Count + 1);
        Array.Resize(ref _keys, capacity);
        Array.Resize(ref _entries, capacity);
        Array.Resize(ref _codes, capacity * _words);
    }

    // A loaded shard has room for its change feed and no more; growing past it adds a sixteenth (at least 16 slots),
    // so a trickle of inserts moves the arrays rarely and the slack stays small.
    private static int Capacity(int count) => count + Math.Max(16, count / 16);
}
