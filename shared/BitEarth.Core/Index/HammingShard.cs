namespace BitEarth.Core.Index;

/// <summary>
/// Codes of one shard packed contiguously (struct of arrays: keys, then words code after code), as a range
/// [start, start + capacity) of arrays that bulk-loaded shards share: one allocation for the whole index, shards in
/// prefix order. A shard that outgrows its range moves to arrays of its own, doubling. Slots are dense: removal
/// moves the last code in.
/// </summary>
internal sealed class HammingShard
{
    private readonly int _words;
    private long[] _keys;
    private ulong[] _codes;
    private int _start;
    private int _capacity;

    public HammingShard(int words)
    {
        _words = words;
        _keys = [];
        _codes = [];
    }

    /// <summary>A full shard over codes [start, start + count) of shared arrays.</summary>
    public HammingShard(int words, long[] keys, ulong[] codes, int start, int count)
    {
        _words = words;
        _keys = keys;
        _codes = codes;
        _start = start;
        _capacity = Count = count;
    }

    public int Count { get; private set; }

    /// <summary>The arrays this shard's range lives in (shared with other shards after a bulk load).</summary>
    public (long[] Keys, ulong[] Codes) Storage => (_keys, _codes);

    public ReadOnlySpan<long> Keys => _keys.AsSpan(_start, Count);

    public ReadOnlySpan<ulong> Codes => _codes.AsSpan(_start * _words, Count * _words);

    public long KeyAt(int slot) => _keys[_start + slot];

    public int Append(long key, ReadOnlySpan<ulong> code)
    {
        if (Count == _capacity) MoveToOwnArrays(Math.Max(4, Count * 2));
        int slot = Count++;
        _keys[_start + slot] = key;
        code.CopyTo(CodeSlot(slot));
        return slot;
    }

    public void Overwrite(int slot, ReadOnlySpan<ulong> code) => code.CopyTo(CodeSlot(slot));

    /// <summary>Removes the code in <paramref name="slot"/> by moving the last one there; returns the key that moved, if any.</summary>
    public long? RemoveAt(int slot)
    {
        int last = --Count;
        if (slot == last) return null;
        _keys[_start + slot] = _keys[_start + last];
        CodeSlot(last).CopyTo(CodeSlot(slot));
        return _keys[_start + slot];
    }

    public void Scan(ReadOnlySpan<ulong> query, TopK top) => HammingScan.Scan(Codes, Keys, query, top);

    /// <summary>Scans codes [from, from + count) only, so several queries can share one cache-resident block.</summary>
    public void ScanBlock(int from, int count, ReadOnlySpan<ulong> query, TopK top) =>
        HammingScan.Scan(_codes.AsSpan((_start + from) * _words, count * _words), _keys.AsSpan(_start + from, count), query, top);

    private Span<ulong> CodeSlot(int slot) => _codes.AsSpan((_start + slot) * _words, _words);

    private void MoveToOwnArrays(int capacity)
    {
        var keys = new long[capacity];
        var codes = new ulong[capacity * _words];
        Keys.CopyTo(keys);
        Codes.CopyTo(codes);
        (_keys, _codes, _start, _capacity) = (keys, codes, 0, capacity);
    }
}
