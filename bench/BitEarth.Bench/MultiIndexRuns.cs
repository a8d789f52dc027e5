using System.Diagnostics;
using BitEarth.Core.Index;

namespace BitEarth.Bench;

/// <summary>
/// Times exact multi-index hashing (default m = bits / log2 N) on one code set, 1 and all threads: as shipped (turning to
/// a full scan once probing has cost what a scan does) and with the tables alone, to show what the substring tables touch.
/// </summary>
public static class MultiIndexRuns
{
    public static List<BenchRow> Run(CodeSet set, int k, IReadOnlyList<List<int>> truth)
    {
        var queries = Enumerable.Range(0, set.QueryCount).Select(set.Query).ToList();
        var keys = new long[set.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = i;
        var rows = new List<BenchRow>();
        foreach (bool scanWhenCheaper in new[] { true, false })
        {
            var (index, memory, buildRate) = Build(set, keys, scanWhenCheaper);
            string label = $"ours multi-index exact{(scanWhenCheaper ? "" : ", tables only")} (m {index.Substrings} x {string.Join('/', index.SubstringLengths.Distinct())} bits)";
            foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                index.SearchMany(queries.Take(Math.Max(threads, 16)).ToList(), k, threads); // warm-up: JIT, tiering
                SearchResult[] results = [];
                double seconds = double.MaxValue;
                for (int run = 0; run < IndexRuns.Runs; run++)
                {
                    var clock = Stopwatch.StartNew();
                    results = index.SearchMany(queries, k, threads);
                    seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
                }
                long scanned = results.Sum(r => r.CodesScanned);
                double recall = Recall.Of(set, truth, q => results[q].Hits.Select(h => h.Key));
                rows.Add(new BenchRow(set.Count, set.Bits, set.Dataset, label, threads,
                    1000 * seconds / queries.Count, scanned / seconds / threads, scanned / ((double)set.Count * queries.Count),
                    recall, memory, buildRate));
            }
        }
        return rows;
    }

    private static (MultiIndexHashing Index, long Memory, double BuildMCodesPerSecond) Build(CodeSet set, long[] keys, bool scanWhenCheaper)
    {
        double seconds = double.MaxValue;
        MultiIndexHashing index = null!;
        long memory = 0;
        for (int run = 0; run < IndexRuns.Runs; run++)
        {
            index = null!;
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            index = new MultiIndexHashing(set.Bits, keys, set.Codes, scanWhenCheaper: scanWhenCheaper);
            seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
            memory = GC.GetTotalMemory(forceFullCollection: true) - before;
        }
        return (index, memory, set.Count / seconds / 1e6);
    }
}
