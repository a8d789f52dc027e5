namespace BitEarth.Core.Index;

/// <summary>
/// Codes of one shard packed contiguously (struct of arrays: keys, then words code after code). Bulk-loaded shards
/// are sized exactly; shards grown by upserts double their arrays. Slots are dense: removal moves the last code in.
/// </summary>
internal sealed class HammingShard
{
    private readonly int _words;
    private long[] _keys;
    private ulong[] _codes;

    public HammingShard(int words, int capacity = 4)
    {
        _words = words;
        _keys = new long[capacity];
        _codes = new ulong[capacity * words];
    }

    /// <summary>Takes ownership of exactly sized arrays.</summary>
    public HammingShard(int words, long[] keys, ulong[] codes)
    {
        _words = words;
        _keys = keys;
        _codes = codes;
        Count = keys.Length;
    }

    public int Count { get; private set; }

    public ReadOnlySpan<long> Keys => _keys.AsSpan(0, Count);

    public ReadOnlySpan<ulong> Codes => _codes.AsSpan(0, Count * _words);

    public long KeyAt(int slot) => _keys[slot];

    public ReadOnlySpan<ulong> CodeAt(int slot) => _codes.AsSpan(slot * _words, _words);

    public int Append(long key, ReadOnlySpan<ulong> code)
    {
        if (Count == _keys.Length)
        {
            int capacity = Math.Max(4, Count * 2);
            Array.Resize(ref _keys, capacity);
            Array.Resize(ref _codes, capacity * _words);
        }
        int slot = Count++;
        _keys[slot] = key;
        code.CopyTo(_codes.AsSpan(slot * _words, _words));
        return slot;
    }

    public void Overwrite(int slot, ReadOnlySpan<ulong> code) => code.CopyTo(_codes.AsSpan(slot * _words, _words));

    /// <summary>Removes the code in <paramref name="slot"/> by moving the last one there; returns the key that moved, if any.</summary>
    public long? RemoveAt(int slot)
    {
        int last = --Count;
        if (slot == last) return null;
        _keys[slot] = _keys[last];
        _codes.AsSpan(last * _words, _words).CopyTo(_codes.AsSpan(slot * _words, _words));
        return _keys[slot];
    }

    public void Scan(ReadOnlySpan<ulong> query, TopK top) => HammingScan.Scan(Codes, Keys, query, top);

    /// <summary>Scans codes [from, from + count) only, so several queries can share one cache-resident block.</summary>
    public void ScanBlock(int from, int count, ReadOnlySpan<ulong> query, TopK top) =>
        HammingScan.Scan(_codes.AsSpan(from * _words, count * _words), _keys.AsSpan(from, count), query, top);
}
