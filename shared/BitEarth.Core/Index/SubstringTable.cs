namespace BitEarth.Core.Index;

/// <summary>
/// Postings of one substring in compressed-sparse-row layout: the positions of all codes, grouped by substring value
/// (ascending positions within a group), and offsets where each group starts. Dense tables index offsets by the value
/// itself (2^length + 1 offsets, one lookup per probe); sparse tables keep the sorted distinct values beside them and
/// binary-search. A table is dense when that costs at most twice the sparse layout's bytes.
/// </summary>
internal sealed class SubstringTable
{
    private const int RadixBits = 16;

    private readonly uint[]? _values;
    private readonly int[] _offsets;
    private readonly int[] _positions;

    private SubstringTable(uint[]? values, int[] offsets, int[] positions)
    {
        _values = values;
        _offsets = offsets;
        _positions = positions;
    }

    public bool IsDense => _values is null;

    public long MemoryBytes => (long)(_values?.Length ?? 0) * sizeof(uint) + (long)_offsets.Length * sizeof(int) + (long)_positions.Length * sizeof(int);

    /// <summary>Groups positions 0..values.Length-1 by their substring value (each below 2^length).</summary>
    public static SubstringTable Build(ReadOnlySpan<uint> values, int length)
    {
        var sorted = SortedByValue(values, length);
        var positions = GC.AllocateUninitializedArray<int>(values.Length);
        int distinct = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            positions[i] = (int)sorted[i];
            if (i == 0 || sorted[i] >> 32 != sorted[i - 1] >> 32) distinct++;
        }

        if (length < 31 && (1L << length) + 1 <= 4L * distinct + 2)
        {
            var dense = new int[(1 << length) + 1];
            foreach (uint value in values) dense[value + 1]++;
            for (int v = 0; v < (1 << length); v++) dense[v + 1] += dense[v];
            return new SubstringTable(null, dense, positions);
        }

        var sortedValues = new uint[distinct];
        var offsets = new int[distinct + 1];
        for (int i = 0, group = -1; i < sorted.Length; i++)
        {
            uint value = (uint)(sorted[i] >> 32);
            if (group >= 0 && sortedValues[group] == value) continue;
            sortedValues[++group] = value;
            offsets[group] = i;
        }
        offsets[distinct] = sorted.Length;
        return new SubstringTable(sortedValues, offsets, positions);
    }

    /// <summary>Positions of the codes whose substring equals <paramref name="value"/> (empty when none).</summary>
    public ReadOnlySpan<int> Postings(uint value)
    {
        if (_values is null) return _positions.AsSpan(_offsets[value], _offsets[value + 1] - _offsets[value]);
        int group = _values.AsSpan().BinarySearch(value);
        return group < 0 ? [] : _positions.AsSpan(_offsets[group], _offsets[group + 1] - _offsets[group]);
    }

    // (value << 32 | position) for every code, by value then position: a stable least-significant-digit radix sort,
    // 16 bits per pass, over packed pairs so that each pass reads sequentially.
    private static ulong[] SortedByValue(ReadOnlySpan<uint> values, int length)
    {
        var pairs = GC.AllocateUninitializedArray<ulong>(values.Length);
        for (int i = 0; i < values.Length; i++) pairs[i] = (ulong)values[i] << 32 | (uint)i;
        var scratch = GC.AllocateUninitializedArray<ulong>(values.Length);
        for (int shift = 32; shift < 32 + length; shift += RadixBits)
        {
            int digitBits = Math.Min(RadixBits, 32 + length - shift);
            ulong mask = (1UL << digitBits) - 1;
            var next = new int[(1 << digitBits) + 1];
            foreach (ulong pair in pairs) next[(int)((pair >> shift) & mask) + 1]++;
            for (int d = 0; d < (1 << digitBits); d++) next[d + 1] += next[d];
            foreach (ulong pair in pairs) scratch[next[(int)((pair >> shift) & mask)]++] = pair;
            (pairs, scratch) = (scratch, pairs);
        }
        return pairs;
    }
}
