using System.Numerics;
using System.Runtime.InteropServices;

namespace BitEarth.Core.Index;

/// <summary>Codes of one shard packed contiguously (struct of arrays: keys, then words code after code).</summary>
internal sealed class HammingShard(int bits)
{
    private readonly int _words = (bits + 63) / 64;
    private long[] _keys = new long[16];
    private ulong[] _codes = new ulong[16 * ((bits + 63) / 64)];
    private readonly Dictionary<long, int> _slotOfKey = new();

    public int Count { get; private set; }

    public void Upsert(long key, ReadOnlySpan<ulong> code)
    {
        if (!_slotOfKey.TryGetValue(key, out int slot))
        {
            if (Count == _keys.Length)
            {
                Array.Resize(ref _keys, Count * 2);
                Array.Resize(ref _codes, Count * 2 * _words);
            }
            slot = Count++;
            _slotOfKey[key] = slot;
            _keys[slot] = key;
        }
        code.CopyTo(_codes.AsSpan(slot * _words, _words));
    }

    public void Remove(long key)
    {
        if (!_slotOfKey.Remove(key, out int slot)) return;
        int last = --Count;
        if (slot != last)
        {
            _keys[slot] = _keys[last];
            _codes.AsSpan(last * _words, _words).CopyTo(_codes.AsSpan(slot * _words, _words));
            _slotOfKey[_keys[slot]] = slot;
        }
    }

    public void Scan(ReadOnlySpan<ulong> query, TopK top)
    {
        var codes = _codes.AsSpan(0, Count * _words);
        if (_words == 1)
        {
            ulong q = query[0];
            for (int i = 0; i < codes.Length; i++) top.Offer(_keys[i], BitOperations.PopCount(codes[i] ^ q));
            return;
        }
        for (int i = 0, o = 0; i < Count; i++, o += _words)
        {
            int d = 0;
            for (int w = 0; w < _words; w++) d += BitOperations.PopCount(codes[o + w] ^ query[w]);
            top.Offer(_keys[i], d);
        }
    }
}
