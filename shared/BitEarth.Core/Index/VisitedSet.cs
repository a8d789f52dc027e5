namespace BitEarth.Core.Index;

/// <summary>
/// Positions already verified during one search (a code turns up in several substring tables): a bitset of one bit
/// per code, plus the list of set positions so that clearing costs what the search touched, not N.
/// One per thread; reused across searches.
/// </summary>
internal sealed class VisitedSet
{
    private readonly ulong[] _bits;
    private int[] _touched = new int[256];

    public VisitedSet(int capacity) => _bits = new ulong[(capacity + 63) >> 6];

    public int Count { get; private set; }

    /// <summary>Marks <paramref name="position"/>; false when it was already marked.</summary>
    public bool Add(int position)
    {
        ref ulong word = ref _bits[position >> 6];
        ulong bit = 1UL << position;
        if ((word & bit) != 0) return false;
        word |= bit;
        if (Count == _touched.Length) Array.Resize(ref _touched, _touched.Length * 2);
        _touched[Count++] = position;
        return true;
    }

    public void Clear()
    {
        if (Count > _bits.Length) Array.Clear(_bits);
        else
            foreach (int position in _touched.AsSpan(0, Count)) _bits[position >> 6] = 0;
        Count = 0;
    }
}
