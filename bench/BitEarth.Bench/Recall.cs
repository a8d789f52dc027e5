namespace BitEarth.Bench;

/// <summary>
/// Recall against brute force that is fair under ties: the share of the true top-k slots filled by returned codes
/// whose true distance is at most the true k-th distance. Exact methods score 1.0 whatever their tie order.
/// </summary>
public static class Recall
{
    public static double Of(CodeSet set, IReadOnlyList<IReadOnlyList<int>> truthDistances, Func<int, IEnumerable<long>> returned)
    {
        double sum = 0;
        for (int q = 0; q < truthDistances.Count; q++)
        {
            var truth = truthDistances[q];
            if (truth.Count == 0) { sum += 1; continue; }
            int kth = truth[^1];
            int good = returned(q).Where(key => key >= 0 && key < set.Count).Distinct().Count(key => set.DistanceTo(key, q) <= kth);
            sum += Math.Min(good, truth.Count) / (double)truth.Count;
        }
        return sum / truthDistances.Count;
    }
}
