using System.Numerics;
using BitEarth.Core.Codes;

namespace BitEarth.Core.Change;

/// <summary>Exact ranking of change pairs against a query pair: every pair scored, ties by before id then after id.</summary>
public static class ChangeRanking
{
    public static int Distance(ChangeMetric metric, ChangePair query, ChangePair candidate)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidate);
        return metric switch
        {
            ChangeMetric.Sum => query.Before.Code.DistanceTo(candidate.Before.Code) + query.After.Code.DistanceTo(candidate.After.Code),
            ChangeMetric.Xor => XorDistance(query.Before.Code, query.After.Code, candidate.Before.Code, candidate.After.Code),
            ChangeMetric.AfterOnly => query.After.Code.DistanceTo(candidate.After.Code),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown change metric"),
        };
    }

    /// <summary>The <paramref name="k"/> nearest pairs, leaving out those <paramref name="exclude"/> names (the query's own place).</summary>
    public static IReadOnlyList<(ChangePair Pair, int Distance)> Rank(ChangeMetric metric, ChangePair query, IEnumerable<ChangePair> pairs, int k,
        Func<ChangePair, bool>? exclude = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return [.. pairs
            .Where(p => p.Before.Modality == query.Before.Modality && p.Before.Code.Bits == query.Before.Code.Bits && exclude?.Invoke(p) != true)
            .Select(p => (Pair: p, Distance: Distance(metric, query, p)))
            .OrderBy(h => h.Distance).ThenBy(h => h.Pair.Before.Id, StringComparer.Ordinal).ThenBy(h => h.Pair.After.Id, StringComparer.Ordinal)
            .Take(k)];
    }

    private static int XorDistance(HammingCode a1, HammingCode a2, HammingCode b1, HammingCode b2)
    {
        ReadOnlySpan<ulong> w1 = a1.Words, w2 = a2.Words, v1 = b1.Words, v2 = b2.Words;
        int sum = 0;
        for (int i = 0; i < w1.Length; i++) sum += BitOperations.PopCount((w1[i] ^ w2[i]) ^ (v1[i] ^ v2[i]));
        return sum;
    }
}
