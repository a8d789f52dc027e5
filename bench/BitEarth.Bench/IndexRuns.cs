using System.Diagnostics;
using BitEarth.Core.Index;

namespace BitEarth.Bench;

/// <summary>Times this project's index on one code set: flat exhaustive scan and sharded pruned search, 1 and all threads.</summary>
public static class IndexRuns
{
    public const int Runs = 3;

    public static (List<BenchRow> Rows, List<List<int>> TruthDistances) Run(CodeSet set, int k)
    {
        var queries = Enumerable.Range(0, set.QueryCount).Select(set.Query).ToList();
        var keys = new long[set.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = i;
        var rows = new List<BenchRow>();
        List<List<int>>? truth = null;

        foreach (var (label, prefixBits, prune) in new[] { ("flat exact", 0, false), ("sharded exact", ShardPrefixBits(set.Count), true) })
        {
            var (index, memory, buildRate) = Build(set, keys, prefixBits);
            foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                var options = new SearchOptions { Prune = prune, MaxThreads = threads };
                index.SearchMany(queries.Take(Math.Max(threads, 16)).ToList(), k, options); // warm-up: JIT, tiering
                // Best of a few runs: the machine is shared, and the minimum is the run least disturbed by others.
                SearchResult[] results = [];
                double seconds = double.MaxValue;
                for (int run = 0; run < Runs; run++)
                {
                    var clock = Stopwatch.StartNew();
                    results = index.SearchMany(queries, k, options);
                    seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
                }
                truth ??= results.Select(r => r.Hits.Select(h => h.Distance).ToList()).ToList();
                long scanned = results.Sum(r => r.CodesScanned);
                double recall = Recall.Of(set, truth, q => results[q].Hits.Select(h => h.Key));
                rows.Add(new BenchRow(set.Count, set.Bits, set.Dataset, $"ours {label} (prefix {prefixBits})", threads,
                    1000 * seconds / queries.Count, scanned / seconds / threads, scanned / ((double)set.Count * queries.Count),
                    recall, memory, buildRate));
            }
        }
        return (rows, truth!);
    }

    // About a hundred codes per shard at most 16 prefix bits: enough shards to prune, few enough to stay compact.
    public static int ShardPrefixBits(int n) => Math.Clamp((int)Math.Floor(Math.Log2(n / 100.0)), 0, 16);

    private static (ShardedHammingIndex Index, long Memory, double BuildMCodesPerSecond) Build(CodeSet set, long[] keys, int prefixBits)
    {
        double seconds = double.MaxValue;
        ShardedHammingIndex index = null!;
        long memory = 0;
        for (int run = 0; run < Runs; run++)
        {
            index = null!;
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            index = new ShardedHammingIndex(set.Bits, prefixBits);
            index.Load(keys, set.Codes);
            seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
            memory = GC.GetTotalMemory(forceFullCollection: true) - before;
        }
        return (index, memory, set.Count / seconds / 1e6);
    }
}
