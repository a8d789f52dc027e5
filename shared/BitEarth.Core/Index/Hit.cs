namespace BitEarth.Core.Index;

/// <summary>One search result: a patch key and its Hamming distance to the query. Ordered by distance, then key.</summary>
public readonly record struct Hit(long Key, int Distance) : IComparable<Hit>
{
    public int CompareTo(Hit other) => Distance != other.Distance ? Distance.CompareTo(other.Distance) : Key.CompareTo(other.Key);

    public static bool operator <(Hit left, Hit right) => left.CompareTo(right) < 0;

    public static bool operator <=(Hit left, Hit right) => left.CompareTo(right) <= 0;

    public static bool operator >(Hit left, Hit right) => left.CompareTo(right) > 0;

    public static bool operator >=(Hit left, Hit right) => left.CompareTo(right) >= 0;
}
