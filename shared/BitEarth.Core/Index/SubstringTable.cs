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
    public static SubstringTable Build(uint[] values, int length)
    {
        var positions = SortedPositions(values, length);
        int distinct = 0;
        for (int i = 0; i < positions.Length; i++)
            if (i == 0 || values[positions[i]] != values[positions[i - 1]]) distinct++;

        if (length < 31 && (1L << length) + 1 <= 4L * distinct + 2)
        {
            var dense = new int[(1 << length) + 1];
            foreach (uint value in values) dense[value + 1]++;
            for (int v = 0; v < (1 << length); v++) dense[v + 1] += dense[v];
            return new SubstringTable(null, dense, positions);
        }

        var sortedValues = new uint[distinct];
        var offsets = new int[distinct + 1];
        for (int i = 0, group = -1; i < positions.Length; i++)
        {
            uint value = values[positions[i]];
            if (group >= 0 && sortedValues[group] == value) continue;
            sortedValues[++group] = value;
            offsets[group] = i;
        }
        offsets[distinct] = positions.Length;
        return new SubstringTable(sortedValues, offsets, positions);
    }

    /// <summary>Positions of the codes whose substring equals <paramref name="value"/> (empty when none).</summary>
    public ReadOnlySpan<int> Postings(uint value)
    {
        if (_values is null) return _positions.AsSpan(_offsets[value], _offsets[value + 1] - _offsets[value]);
        int group = _values.AsSpan().BinarySearch(value);
        return group < 0 ? [] : _positions.AsSpan(_offsets[group], _offsets[group + 1] - _offsets[group]);
    }

    // Stable least-significant-digit radix sort of positions by value, 16 bits per pass: linear time, no comparisons.
    private static int[] SortedPositions(uint[] values, int length)
    {
        var order = new int[values.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var scratch = new int[values.Length];
        for (int shift = 0; shift < length; shift += RadixBits)
        {
            int digitBits = Math.Min(RadixBits, length - shift);
            uint mask = (1u << digitBits) - 1;
            var next = new int[(1 << digitBits) + 1];
            foreach (int position in order) next[((values[position] >> shift) & mask) + 1]++;
            for (int d = 0; d < (1 << digitBits); d++) next[d + 1] += next[d];
            foreach (int position in order) scratch[next[(values[position] >> shift) & mask]++] = position;
            (order, scratch) = (scratch, order);
        }
        return order;
    }
}
