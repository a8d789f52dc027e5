using BitEarth.Core.Codes;

namespace BitEarth.Core.Hashing;

/// <summary>Distance between two patches described by code sets, under a <see cref="MultiCodeMatching"/> rule.</summary>
public static class MultiCodeDistance
{
    /// <summary>The smallest Hamming distance over all code pairs.</summary>
    public static int Min(IReadOnlyList<HammingCode> query, IReadOnlyList<HammingCode> candidate) =>
        Of(query, candidate, MultiCodeMatching.NearestPair);

    public static int Of(IReadOnlyList<HammingCode> query, IReadOnlyList<HammingCode> candidate, MultiCodeMatching matching)
    {
        if (query.Count == 0 || candidate.Count == 0) throw new ArgumentException("Both code sets need at least one code.");
        int result = matching == MultiCodeMatching.NearestPair ? int.MaxValue : 0;
        foreach (var q in query)
        {
            int nearest = int.MaxValue;
            foreach (var c in candidate) nearest = Math.Min(nearest, q.DistanceTo(c));
            result = matching == MultiCodeMatching.NearestPair ? Math.Min(result, nearest) : result + nearest;
        }
        return result;
    }

    /// <summary>The largest distance the rule can give for <paramref name="queryCodes"/> codes of <paramref name="bits"/>.</summary>
    public static int MaxDistance(int queryCodes, int bits, MultiCodeMatching matching) =>
        matching == MultiCodeMatching.NearestPair ? bits : queryCodes * bits;
}
