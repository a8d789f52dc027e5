using BitEarth.Core.Hashing;

namespace BitEarth.Core.Evaluation;

/// <summary>
/// Leave-one-out evaluation of a code archive: every labelled item queries all the others, ranked by brute-force
/// Hamming distance (the minimum over code pairs for multi-code items) with ties broken by ordinal id, so results
/// do not depend on input order. Items without labels are candidates but never queries.
/// </summary>
public static class RetrievalEvaluation
{
    public static RetrievalScores LeaveOneOut(IReadOnlyList<RetrievalItem> items, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (items.Select(i => i.Id).Distinct(StringComparer.Ordinal).Count() != items.Count)
            throw new ArgumentException("Item ids must be unique: they break distance ties.", nameof(items));
        double map = 0, wap = 0, acg = 0, ndcg = 0;
        int queries = 0;
        foreach (var query in items.Where(i => i.Labels.Count > 0))
        {
            var others = items.Where(i => !ReferenceEquals(i, query)).ToList();
            var ranked = others
                .Select(i => (Item: i, Distance: MultiCodeDistance.Min(query.Codes, i.Codes)))
                .OrderBy(r => r.Distance).ThenBy(r => r.Item.Id, StringComparer.Ordinal)
                .Select(r => (IEnumerable<string>)r.Item.Labels).ToList();
            map += RetrievalMetrics.AveragePrecision(query.Labels, ranked, k);
            wap += RetrievalMetrics.WeightedAveragePrecision(query.Labels, ranked, k);
            acg += RetrievalMetrics.AverageCumulativeGain(query.Labels, ranked, k);
            ndcg += RetrievalMetrics.Ndcg(query.Labels, ranked, others.Select(o => (IEnumerable<string>)o.Labels), k);
            queries++;
        }
        return queries == 0
            ? new RetrievalScores(k, 0, 0, 0, 0, 0)
            : new RetrievalScores(k, queries, map / queries, wap / queries, acg / queries, ndcg / queries);
    }
}
