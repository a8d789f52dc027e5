namespace BitEarth.Core.Evaluation;

/// <summary>
/// Ranking metrics of multi-label retrieval as used in the hashing literature (Zhao et al., "Deep semantic ranking
/// based hashing for multi-label image retrieval", CVPR 2015, and later work). For a query with label set Q and a
/// ranked list of results with label sets L_1..L_n, let k' = min(k, n) and
///   shared_i = |Q ∩ L_i|               (labels the i-th result shares with the query)
///   rel_i    = 1 if shared_i >= 1, else 0  (relevant = shares at least one label)
///   P@i      = (1/i) sum_{j&lt;=i} rel_j
///   ACG@i    = (1/i) sum_{j&lt;=i} shared_j
/// Then
///   AP@k   = sum_{i&lt;=k'} rel_i * P@i   / sum_{i&lt;=k'} rel_i   (0 when no result in the top k' is relevant)
///   WAP@k  = sum_{i&lt;=k'} rel_i * ACG@i / sum_{i&lt;=k'} rel_i   (weighted AP: precision replaced by ACG)
///   ACG@k  = (1/k') sum_{i&lt;=k'} shared_i                       (0 for an empty list)
///   NDCG@k = DCG@k / IDCG@k, DCG@k = sum_{i&lt;=k'} (2^shared_i - 1) / log2(1 + i), and IDCG@k the same sum over
///            the database's gains sorted in decreasing order, top min(k, |database|) (0 when IDCG is 0).
/// The database is every item the query could have been answered with (the query itself excluded).
/// mAP, WAP, mean ACG and mean NDCG are the means of these over queries.
/// </summary>
public static class RetrievalMetrics
{
    public static int SharedLabels(IReadOnlySet<string> query, IEnumerable<string> labels)
    {
        int shared = 0;
        foreach (var label in labels.Distinct(StringComparer.Ordinal))
            if (query.Contains(label)) shared++;
        return shared;
    }

    public static double AveragePrecision(IEnumerable<string> query, IReadOnlyList<IEnumerable<string>> ranked, int k) =>
        WeightedSum(Shared(query, ranked, k), weighted: false);

    public static double WeightedAveragePrecision(IEnumerable<string> query, IReadOnlyList<IEnumerable<string>> ranked, int k) =>
        WeightedSum(Shared(query, ranked, k), weighted: true);

    public static double AverageCumulativeGain(IEnumerable<string> query, IReadOnlyList<IEnumerable<string>> ranked, int k)
    {
        var shared = Shared(query, ranked, k);
        return shared.Length == 0 ? 0 : shared.Average();
    }

    public static double Ndcg(
        IEnumerable<string> query, IReadOnlyList<IEnumerable<string>> ranked, IEnumerable<IEnumerable<string>> database, int k)
    {
        var querySet = ToSet(query);
        var ideal = database.Select(labels => SharedLabels(querySet, labels)).OrderDescending().Take(k).ToArray();
        double idealGain = DiscountedCumulativeGain(ideal);
        return idealGain == 0 ? 0 : DiscountedCumulativeGain(Shared(query, ranked, k)) / idealGain;
    }

    private static int[] Shared(IEnumerable<string> query, IReadOnlyList<IEnumerable<string>> ranked, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        var querySet = ToSet(query);
        return ranked.Take(k).Select(labels => SharedLabels(querySet, labels)).ToArray();
    }

    /// <summary>AP (weight P@i) or WAP (weight ACG@i), averaged over the relevant positions of the top k'.</summary>
    private static double WeightedSum(int[] shared, bool weighted)
    {
        double sum = 0;
        int relevant = 0, cumulativeShared = 0;
        for (int i = 0; i < shared.Length; i++)
        {
            cumulativeShared += shared[i];
            if (shared[i] == 0) continue;
            relevant++;
            sum += (weighted ? cumulativeShared : relevant) / (double)(i + 1);
        }
        return relevant == 0 ? 0 : sum / relevant;
    }

    private static double DiscountedCumulativeGain(int[] shared)
    {
        double sum = 0;
        for (int i = 0; i < shared.Length; i++) sum += (Math.Pow(2, shared[i]) - 1) / Math.Log2(i + 2);
        return sum;
    }

    private static HashSet<string> ToSet(IEnumerable<string> labels) => new(labels, StringComparer.Ordinal);
}
