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
    public static SubstringTable Build(ReadOnlySpan<uint> values, int length) =>
        (1L << length) <= 4L * values.Length + 2 ? BuildByCounting(values, length) : BuildByRadixSort(values, length);

    /// <summary>Positions of the codes whose substring equals <paramref name="value"/> (empty when none).</summary>
    public ReadOnlySpan<int> Postings(uint value)
    {
        if (_values is null) return _positions.AsSpan(_offsets[value], _offsets[value + 1] - _offsets[value]);
        int group = _values.AsSpan().BinarySearch(value);
        return group < 0 ? [] : _positions.AsSpan(_offsets[group], _offsets[group + 1] - _offsets[group]);
    }

    // Few possible values for the codes: a counter per value, one counting pass and one scatter. The counters become
    // the offsets of a dense table, or are compacted to the distinct values of a sparse one.
    private static SubstringTable BuildByCounting(ReadOnlySpan<uint> values, int length)
    {
        int size = 1 << length;
        var offsets = new int[size + 1];
        foreach (uint value in values) offsets[value + 1]++;
        int distinct = 0;
        for (int v = 1; v <= size; v++)
        {
            if (offsets[v] != 0) distinct++;
            offsets[v] += offsets[v - 1];
        }
        var positions = GC.AllocateUninitializedArray<int>(values.Length);
        for (int i = 0; i < values.Length; i++) positions[offsets[values[i]]++] = i;
        // The scatter advanced each start to the next group's start; shift back by one group.
        Array.Copy(offsets, 0, offsets, 1, size);
        offsets[0] = 0;
        if ((long)size + 1 <= 4L * distinct + 2) return new SubstringTable(null, offsets, positions);

        var sortedValues = new uint[distinct];
        var starts = new int[distinct + 1];
        for (int v = 0, group = 0; v < size; v++)
        {
            if (offsets[v + 1] == offsets[v]) continue;
            sortedValues[group] = (uint)v;
            starts[group++] = offsets[v];
        }
        starts[distinct] = values.Length;
        return new SubstringTable(sortedValues, starts, positions);
    }

    // More possible values than four per code: never dense. Sort (value << 32 | position) pairs by a stable
    // least-significant-digit radix sort, 16 bits per pass, then cut the groups.
    private static SubstringTable BuildByRadixSort(ReadOnlySpan<uint> values, int length)
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

        int distinct = 0;
        for (int i = 0; i < pairs.Length; i++)
            if (i == 0 || pairs[i] >> 32 != pairs[i - 1] >> 32) distinct++;
        var positions = GC.AllocateUninitializedArray<int>(values.Length);
        var sortedValues = new uint[distinct];
        var starts = new int[distinct + 1];
        for (int i = 0, group = 0; i < pairs.Length; i++)
        {
            positions[i] = (int)pairs[i];
            if (i > 0 && pairs[i] >> 32 == pairs[i - 1] >> 32) continue;
            sortedValues[group] = (uint)(pairs[i] >> 32);
            starts[group++] = i;
        }
        starts[distinct] = values.Length;
        return new SubstringTable(sortedValues, starts, positions);
    }
}
