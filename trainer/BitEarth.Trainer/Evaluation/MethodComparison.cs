using System.Diagnostics;
using BitEarth.Core.Codes;
using BitEarth.Core.Evaluation;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;

namespace BitEarth.Trainer.Evaluation;

/// <summary>
/// Scores one fitted hasher on a held-out split the way the hashing literature reports it: every test patch queries
/// the other test patches of its modality, ranked by Hamming distance (ties by id); means over queries of mAP@k, WAP@k,
/// ACG@k, NDCG@k, precision and recall at k, plus the precision-recall curve over every cut-off, and the costs a user
/// pays: fit time, hashing time per patch, ranking time per query and code bytes per patch.
/// </summary>
public static class MethodComparison
{
    public sealed record Scores(
        double Map, double Wap, double Acg, double Ndcg, double Precision, double Recall,
        double FitSeconds, double HashMsPerPatch, double QueryMs, int BytesPerPatch,
        double[] PrecisionCurve, double[] RecallCurve);

    /// <summary>
    /// Labels are compared as given: fold BigEarthNet's into 19 classes beforehand (LandCoverClasses.ForScoring). Test
    /// patches of a modality the hasher was not fitted on (its training share held fewer than two) are left out. A
    /// multi-code hasher ranks by its code sets under <paramref name="matching"/>; bytes per patch are then the mean
    /// number of codes times the code's bytes.
    /// </summary>
    public static Scores Score(IPatchHasher hasher, TimeSpan fitTime, IReadOnlyList<Patch> heldOut, int k,
        MultiCodeMatching matching = MultiCodeMatching.EveryQueryCode)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        var test = heldOut.Where(p => hasher.Modalities.Contains(p.Modality)).ToList();
        if (test.Count == 0) throw new ArgumentException($"{hasher.Version} hashes none of the held-out patches' modalities.", nameof(heldOut));
        var started = Stopwatch.GetTimestamp();
        var multi = hasher as IMultiCodeHasher;
        var codes = test.Select(p => multi is null ? [hasher.Hash(p)] : multi.HashMany(p)).ToArray();
        double hashMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds / Math.Max(1, test.Count);
        var ranker = new Ranker(test, codes, hasher.Bits, matching);

        double map = 0, wap = 0, acg = 0, ndcg = 0, precision = 0, recall = 0, rankingMs = 0;
        int queries = 0;
        int longest = test.GroupBy(p => p.Modality).Max(g => g.Count()) - 1;
        var precisionCurve = new double[Math.Max(longest, 0)];
        var recallCurve = new double[precisionCurve.Length];
        var curveQueries = new int[precisionCurve.Length];
        for (int q = 0; q < test.Count; q++)
        {
            var query = test[q];
            if (query.Labels.Count == 0) continue;
            var rankingStarted = Stopwatch.GetTimestamp();
            var ranked = ranker.Rank(q).Select(d => (IEnumerable<string>)test[d].Labels).ToList();
            rankingMs += Stopwatch.GetElapsedTime(rankingStarted).TotalMilliseconds;
            if (ranked.Count == 0) continue;
            var querySet = query.Labels.ToHashSet(StringComparer.Ordinal);
            var relevant = ranked.Select(labels => RetrievalMetrics.SharedLabels(querySet, labels) > 0).ToArray();
            int totalRelevant = relevant.Count(r => r);
            map += RetrievalMetrics.AveragePrecision(query.Labels, ranked, k);
            wap += RetrievalMetrics.WeightedAveragePrecision(query.Labels, ranked, k);
            acg += RetrievalMetrics.AverageCumulativeGain(query.Labels, ranked, k);
            ndcg += RetrievalMetrics.Ndcg(query.Labels, ranked, ranked, k);
            int hits = relevant.Take(k).Count(r => r);
            precision += hits / (double)Math.Min(k, ranked.Count);
            recall += totalRelevant == 0 ? 0 : hits / (double)totalRelevant;
            int cumulative = 0;
            for (int cut = 0; cut < ranked.Count; cut++)
            {
                if (relevant[cut]) cumulative++;
                precisionCurve[cut] += cumulative / (double)(cut + 1);
                recallCurve[cut] += totalRelevant == 0 ? 0 : cumulative / (double)totalRelevant;
                curveQueries[cut]++;
            }
            queries++;
        }
        for (int cut = 0; cut < precisionCurve.Length; cut++)
            if (curveQueries[cut] > 0) { precisionCurve[cut] /= curveQueries[cut]; recallCurve[cut] /= curveQueries[cut]; }
        int n = Math.Max(queries, 1);
        return new Scores(map / n, wap / n, acg / n, ndcg / n, precision / n, recall / n,
            fitTime.TotalSeconds, hashMs, rankingMs / n, (int)Math.Round(codes.Average(c => c.Count) * HammingCode.WordCount(hasher.Bits) * 8),
            precisionCurve, recallCurve);
    }

    /// <summary>
    /// Ranks the other test patches of a query's modality by distance, ties by id. Single codes by Hamming distance;
    /// code sets through a <see cref="MultiCodeIndex"/> per modality (the exact multi-code search) under the rule.
    /// </summary>
    private sealed class Ranker
    {
        private readonly IReadOnlyList<Patch> _test;
        private readonly IReadOnlyList<HammingCode>[] _codes;
        private readonly MultiCodeMatching _matching;
        private readonly Dictionary<Modality, (MultiCodeIndex Index, int Count)> _byModality = [];

        public Ranker(IReadOnlyList<Patch> test, IReadOnlyList<HammingCode>[] codes, int bits, MultiCodeMatching matching)
        {
            _test = test;
            _codes = codes;
            _matching = matching;
            foreach (var group in Enumerable.Range(0, test.Count).GroupBy(i => test[i].Modality))
            {
                var index = new MultiCodeIndex(bits);
                foreach (int i in group) index.Add(i, codes[i]);
                _byModality[group.Key] = (index, group.Count());
            }
        }

        public List<int> Rank(int query)
        {
            var (index, count) = _byModality[_test[query].Modality];
            return index.Search(_codes[query], count, _matching)
                .Where(h => h.Key != query)
                .OrderBy(h => h.Distance).ThenBy(h => _test[(int)h.Key].Id, StringComparer.Ordinal)
                .Select(h => (int)h.Key).ToList();
        }
    }
}
