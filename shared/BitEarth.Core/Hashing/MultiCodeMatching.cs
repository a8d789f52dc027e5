namespace BitEarth.Core.Hashing;

/// <summary>How two patches described by code sets are compared (<see cref="MultiCodeDistance"/>).</summary>
public enum MultiCodeMatching
{
    /// <summary>The smallest Hamming distance over all query-code x patch-code pairs: some content in common.</summary>
    NearestPair,

    /// <summary>
    /// The sum over query codes of each one's nearest patch code: every primitive of the query must be matched, so a
    /// patch ranks high only when it holds all the query's content (a one-sided Chamfer distance).
    /// </summary>
    EveryQueryCode,
}
