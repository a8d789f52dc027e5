using BitEarth.Core.Evaluation;

namespace BitEarth.Core.Change;

/// <summary>
/// How well query by change retrieves the same transition: every change pair queries all pairs of other places, and a
/// result is relevant when its transition (<see cref="TransitionOf"/>) equals the query's. Scored by mAP@k
/// (<see cref="RetrievalMetrics.AveragePrecision"/>), beside the same score of random rankings (chance).
/// </summary>
public static class ChangeEvaluation
{
    /// <summary>
    /// What changed, read from the labels alone: the classes that left and those that arrived ("unchanged" when none),
    /// so any archive of labelled dated pairs can be scored, not only the synthetic one.
    /// </summary>
    public static string TransitionOf(ChangePair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var lost = pair.Before.Labels.Except(pair.After.Labels, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var gained = pair.After.Labels.Except(pair.Before.Labels, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var text = $"{string.Join(" + ", lost)} -> {string.Join(" + ", gained)}";
        return text == " -> " ? "unchanged" : text;
    }

    /// <summary>mAP@k of ranking by <paramref name="metric"/>.</summary>
    public static double MeanAveragePrecision(IReadOnlyList<ChangePair> pairs, ChangeMetric metric, int k)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return Mean(pairs, query => ChangeRanking.Rank(metric, query, pairs, k, p => p.Place == query.Place).Select(h => h.Pair).ToList(), k);
    }

    /// <summary>mAP@k of rankings drawn at random (the mean over <paramref name="shuffles"/> draws from <paramref name="seed"/>).</summary>
    public static double Chance(IReadOnlyList<ChangePair> pairs, int k, int seed, int shuffles = 20)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var random = new Random(seed);
        double sum = 0;
        for (int s = 0; s < shuffles; s++)
            sum += Mean(pairs, query => pairs.Where(p => p.Place != query.Place && p.Before.Modality == query.Before.Modality)
                .OrderBy(_ => random.Next()).Take(k).ToList(), k);
        return sum / shuffles;
    }

    private static double Mean(IReadOnlyList<ChangePair> pairs, Func<ChangePair, List<ChangePair>> rank, int k)
    {
        if (pairs.Count == 0) return 0;
        double sum = 0;
        foreach (var query in pairs)
        {
            var ranked = rank(query).Select(p => (IEnumerable<string>)[TransitionOf(p)]).ToList();
            sum += RetrievalMetrics.AveragePrecision([TransitionOf(query)], ranked, k);
        }
        return sum / pairs.Count;
    }
}
