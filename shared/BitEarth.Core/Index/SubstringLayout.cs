namespace BitEarth.Core.Index;

/// <summary>
/// How multi-index hashing cuts a code into m disjoint, contiguous substrings of at most 32 bits: lengths differ by
/// at most one bit, the longer ones first. Substring j covers bits [Start(j), Start(j) + Length(j)).
/// </summary>
internal sealed class SubstringLayout
{
    public const int MaxLength = 32;

    private readonly int[] _starts;
    private readonly int[] _lengths;

    public SubstringLayout(int bits, int substrings)
    {
        _starts = new int[substrings];
        _lengths = new int[substrings];
        for (int j = 0, start = 0; j < substrings; j++)
        {
            _starts[j] = start;
            _lengths[j] = bits / substrings + (j < bits % substrings ? 1 : 0);
            start += _lengths[j];
        }
    }

    public int Count => _lengths.Length;

    public int MaxSubstringLength => _lengths[0];

    public int Start(int j) => _starts[j];

    public int Length(int j) => _lengths[j];

    /// <summary>Bits [Start(j), Start(j) + Length(j)) of a packed code, as an integer (bit i of the code is bit i - Start(j)).</summary>
    public uint Extract(ReadOnlySpan<ulong> code, int j)
    {
        int start = _starts[j], length = _lengths[j];
        int word = start >> 6, offset = start & 63;
        ulong value = code[word] >> offset;
        if (offset + length > 64) value |= code[word + 1] << (64 - offset);
        return (uint)(value & ((1UL << length) - 1));
    }
}
