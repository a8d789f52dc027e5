using BitEarth.Core.Codes;

namespace BitEarth.Core.Hashing;

/// <summary>Distance between two patches described by code sets: the smallest Hamming distance over all code pairs.</summary>
public static class MultiCodeDistance
{
    public static int Min(IReadOnlyList<HammingCode> query, IReadOnlyList<HammingCode> candidate)
    {
        if (query.Count == 0 || candidate.Count == 0) throw new ArgumentException("Both code sets need at least one code.");
        int best = int.MaxValue;
        foreach (var q in query)
            foreach (var c in candidate) best = Math.Min(best, q.DistanceTo(c));
        return best;
    }
}
