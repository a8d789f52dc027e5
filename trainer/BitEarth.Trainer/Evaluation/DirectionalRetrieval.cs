using BitEarth.Core.Codes;
using BitEarth.Core.Evaluation;

namespace BitEarth.Trainer.Evaluation;

/// <summary>
/// Retrieval from one code set (queries, e.g. S1 test patches) into another (database, e.g. S2 test patches), with
/// the literature's metrics from <see cref="RetrievalMetrics"/>; ties in Hamming distance break by database id.
/// An item never retrieves itself (same id).
/// </summary>
public static class DirectionalRetrieval
{
    public sealed record Item(string Id, IReadOnlyList<string> Labels, HammingCode Code);

    public sealed record Scores(double Map20, double Map50, double Wap20, double Wap50);

    public static Scores Evaluate(IReadOnlyList<Item> queries, IReadOnlyList<Item> database)
    {
        double map20 = 0, map50 = 0, wap20 = 0, wap50 = 0;
        foreach (var query in queries)
        {
            var ranked = database.Where(d => d.Id != query.Id)
                .OrderBy(d => query.Code.DistanceTo(d.Code)).ThenBy(d => d.Id, StringComparer.Ordinal)
                .Take(50).Select(d => (IEnumerable<string>)d.Labels).ToList();
            map20 += RetrievalMetrics.AveragePrecision(query.Labels, ranked, 20);
            map50 += RetrievalMetrics.AveragePrecision(query.Labels, ranked, 50);
            wap20 += RetrievalMetrics.WeightedAveragePrecision(query.Labels, ranked, 20);
            wap50 += RetrievalMetrics.WeightedAveragePrecision(query.Labels, ranked, 50);
        }
        int n = Math.Max(queries.Count, 1);
        return new Scores(map20 / n, map50 / n, wap20 / n, wap50 / n);
    }

    /// <summary>P@k and mAP@k of queries searching a whole archive (which holds them too: a query skips itself, same id).</summary>
    public static (double Precision, double Map) ArchiveScores(IReadOnlyList<Item> queries, IReadOnlyList<Item> archive, int k)
    {
        double precision = 0, map = 0;
        foreach (var query in queries)
        {
            var ranked = archive.Where(d => d.Id != query.Id)
                .OrderBy(d => query.Code.DistanceTo(d.Code)).ThenBy(d => d.Id, StringComparer.Ordinal)
                .Take(k).Select(d => (IEnumerable<string>)d.Labels).ToList();
            precision += ranked.Count(labels => labels.Any(query.Labels.Contains)) / (double)k;
            map += RetrievalMetrics.AveragePrecision(query.Labels, ranked, k);
        }
        int n = Math.Max(queries.Count, 1);
        return (precision / n, map / n);
    }

    /// <summary>
    /// mAP@k of training's validation, over parallel arrays of codes and label sets: ties break by database position,
    /// and with <paramref name="excludeSameIndex"/> query i and database item i are the same patch and skip each other.
    /// </summary>
    public static double MeanAveragePrecision(IReadOnlyList<HammingCode> queries, IReadOnlyList<IReadOnlyList<string>> queryLabels,
        IReadOnlyList<HammingCode> database, IReadOnlyList<IReadOnlyList<string>> databaseLabels, int k, bool excludeSameIndex)
    {
        if (queries.Count == 0) return 0;
        double sum = 0;
        for (int q = 0; q < queries.Count; q++)
        {
            var query = queries[q];
            var ranked = Enumerable.Range(0, database.Count)
                .Where(d => !(excludeSameIndex && d == q))
                .OrderBy(d => query.DistanceTo(database[d])).ThenBy(d => d)
                .Take(k).Select(d => (IEnumerable<string>)databaseLabels[d]).ToList();
            sum += RetrievalMetrics.AveragePrecision(queryLabels[q], ranked, k);
        }
        return sum / queries.Count;
    }
}
