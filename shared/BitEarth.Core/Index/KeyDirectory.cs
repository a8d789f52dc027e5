using System.Numerics;

namespace BitEarth.Core.Index;

/// <summary>
/// Where each key lives (shard prefix and slot): an open-addressing table with linear probing and backward-shift
/// deletion, two flat arrays instead of per-entry objects. The index builds it only when first mutated, so a
/// bulk-loaded index carries no per-key map at all.
/// </summary>
internal sealed class KeyDirectory
{
    private const long Empty = -1;
    private long[] _keys;
    private long[] _locations;
    private int _mask;
    private int _shift;

    public KeyDirectory(int expected)
    {
        int capacity = 16;
        while (capacity < expected * 4L / 3 + 1) capacity *= 2;
        _keys = new long[capacity];
        _locations = new long[capacity];
        _locations.AsSpan().Fill(Empty);
        _mask = capacity - 1;
        _shift = 64 - BitOperations.Log2((uint)capacity);
    }

    public int Count { get; private set; }

    public long MemoryBytes => ((long)_keys.Length + _locations.Length) * sizeof(long);

    public bool TryGet(long key, out int prefix, out int slot)
    {
        for (int i = Home(key); ; i = (i + 1) & _mask)
        {
            long location = _locations[i];
            if (location == Empty) break;
            if (_keys[i] == key)
            {
                prefix = (int)(location >> 32);
                slot = (int)location;
                return true;
            }
        }
        prefix = slot = 0;
        return false;
    }

    /// <summary>Adds or moves <paramref name="key"/>; returns false when it was already present (its location is updated).</summary>
    public bool Set(long key, int prefix, int slot)
    {
        long location = (long)prefix << 32 | (uint)slot;
        int i = Home(key);
        for (; _locations[i] != Empty; i = (i + 1) & _mask)
        {
            if (_keys[i] != key) continue;
            _locations[i] = location;
            return false;
        }
        _keys[i] = key;
        _locations[i] = location;
        if (++Count * 4L > _keys.Length * 3L) Grow();
        return true;
    }

    public bool Remove(long key)
    {
        int i = Home(key);
        for (; ; i = (i + 1) & _mask)
        {
            if (_locations[i] == Empty) return false;
            if (_keys[i] == key) break;
        }
        // Backward shift: pull later entries of the probe run into the hole so lookups never stop early.
        for (int j = (i + 1) & _mask; _locations[j] != Empty; j = (j + 1) & _mask)
        {
            int home = Home(_keys[j]);
            bool reachable = i <= j ? home <= i || home > j : home <= i && home > j;
            if (!reachable) continue;
            _keys[i] = _keys[j];
            _locations[i] = _locations[j];
            i = j;
        }
        _locations[i] = Empty;
        Count--;
        return true;
    }

    // Fibonacci hashing: the top bits of key times 2^64/phi spread sequential and random keys alike.
    private int Home(long key) => (int)((ulong)key * 11400714819323198485UL >> _shift);

    private void Grow()
    {
        var keys = _keys;
        var locations = _locations;
        _keys = new long[keys.Length * 2];
        _locations = new long[keys.Length * 2];
        _locations.AsSpan().Fill(Empty);
        _mask = _keys.Length - 1;
        _shift--;
        for (int i = 0; i < keys.Length; i++)
        {
            if (locations[i] == Empty) continue;
            int j = Home(keys[i]);
            while (_locations[j] != Empty) j = (j + 1) & _mask;
            _keys[j] = keys[i];
            _locations[j] = locations[i];
        }
    }
}
