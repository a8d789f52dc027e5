namespace BitEarth.Storage.Embedded;

/// <summary>
/// Where the latest line of each key of a <see cref="JsonLinesLog{T}"/> starts, without holding the keys: each key has
/// a slot (numbered densely in first-write order, never reused) with the key's 64-bit hash and its line's offset,
/// found through an open-addressing table of slot numbers. Two keys may share a hash: <see cref="NextWithHash"/> gives
/// every slot with it, and the log tells them apart by reading the key at the slot's offset. About 16 bytes per key
/// plus 4 to 11 for the table.
/// </summary>
internal sealed class LatestLineIndex
{
    private int[] _table = new int[16]; // slot + 1 at each position; 0 is free
    private ulong[] _hashes = new ulong[8];
    private long[] _offsets = new long[8];

    public int Count { get; private set; }

    public long OffsetOf(int slot) => _offsets[slot];

    public void Move(int slot, long offset) => _offsets[slot] = offset;

    /// <summary>The next slot whose key has <paramref name="hash"/>; <paramref name="probe"/> starts at -1.</summary>
    public bool NextWithHash(ulong hash, ref int probe, out int slot)
    {
        var mask = _table.Length - 1;
        for (var position = probe < 0 ? (int)(hash & (ulong)mask) : (probe + 1) & mask; ; position = (position + 1) & mask)
        {
            var entry = _table[position];
            if (entry == 0)
            {
                slot = -1;
                return false;
            }
            if (_hashes[entry - 1] == hash)
            {
                probe = position;
                slot = entry - 1;
                return true;
            }
        }
    }

    /// <summary>A new key's slot; the caller has checked that no slot holds the key.</summary>
    public int Add(ulong hash, long offset)
    {
        if (Count == _hashes.Length)
        {
            // By half, not double: at 10^7 keys the slack of a doubling is 160 MB.
            var capacity = _hashes.Length + _hashes.Length / 2;
            Array.Resize(ref _hashes, capacity);
            Array.Resize(ref _offsets, capacity);
        }
        if ((Count + 1) * 4L > _table.Length * 3L)
            Rehash(_table.Length * 2);
        var slot = Count++;
        _hashes[slot] = hash;
        _offsets[slot] = offset;
        Place(_table, hash, slot);
        return slot;
    }

    private void Rehash(int size)
    {
        var table = new int[size];
        for (var slot = 0; slot < Count; slot++)
            Place(table, _hashes[slot], slot);
        _table = table;
    }

    private static void Place(int[] table, ulong hash, int slot)
    {
        var mask = table.Length - 1;
        var position = (int)(hash & (ulong)mask);
        while (table[position] != 0)
            position = (position + 1) & mask;
        table[position] = slot + 1;
    }
}
