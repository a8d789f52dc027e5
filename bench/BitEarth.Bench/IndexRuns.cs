using System.Diagnostics;
using BitEarth.Core.Index;

namespace BitEarth.Bench;

/// <summary>
/// Times this project's indexes on one code set through <see cref="IBinaryIndex"/>, 1 and all threads: the sharded
/// index as a flat exhaustive scan and pruned, multi-index hashing (default m = bits / log2 N) as shipped (turning
/// to a full scan once probing has cost what a scan does) and with the tables alone, to show what they touch, and the
/// clustered index (codes by nearest centroid, triangle-inequality bound).
/// </summary>
public static class IndexRuns
{
    public const int Runs = 3;

    /// <summary>Methods beside the flat scan, which always runs first (it is the brute force recall is scored against).</summary>
    public static readonly string[] OptionalMethods = ["sharded", "multi-index", "tables-only", "clustered", "bitsliced"];

    private sealed record Method(string Name, Func<IBinaryIndex, string> Label, bool Prune, Func<CodeSet, long[], IBinaryIndex> Build);

    public static (List<BenchRow> Rows, List<List<int>> TruthDistances) Run(CodeSet set, int k, IReadOnlyCollection<string> chosen)
    {
        var queries = Enumerable.Range(0, set.QueryCount).Select(set.Query).ToList();
        var keys = new long[set.Count];
        for (int i = 0; i < keys.Length; i++) keys[i] = i;
        int prefixBits = ShardPrefixBits(set.Count);
        Method[] methods =
        [
            new("flat", _ => "ours flat exact (prefix 0)", Prune: false, (s, ids) => Sharded(s, ids, prefixBits: 0)),
            new("sharded", _ => $"ours sharded exact (prefix {prefixBits})", Prune: true, (s, ids) => Sharded(s, ids, prefixBits)),
            new("multi-index", index => $"ours multi-index exact {Substrings(index)}", Prune: true, (s, ids) => new MultiIndexHashing(s.Bits, ids, s.Codes)),
            new("tables-only", index => $"ours multi-index exact, tables only {Substrings(index)}", Prune: true,
                (s, ids) => new MultiIndexHashing(s.Bits, ids, s.Codes, scanWhenCheaper: false)),
            new("clustered", index => $"ours clustered exact ({((ClusteredHammingIndex)index).Lists} lists)", Prune: true, (s, ids) => new ClusteredHammingIndex(s.Bits, ids, s.Codes)),
            new("bitsliced", _ => "ours bit-sliced exact", Prune: false, BitSliced),
        ];
        var rows = new List<BenchRow>();
        List<List<int>>? truth = null;
        foreach (var method in methods.Where(m => m.Name == "flat" || chosen.Contains(m.Name)))
        {
            var (index, memory, buildRate) = Build(set, keys, method.Build);
            foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                var options = new SearchOptions { Prune = method.Prune, MaxThreads = threads };
                index.SearchMany(queries.Take(Math.Max(threads, 16)).ToList(), k, options); // warm-up: JIT, tiering
                // Wall time: best of a few runs, as the machine is shared and the minimum is the run least disturbed by
                // others. CPU time: the mean over the runs, as the FAISS peer's CPU time can only be read that way.
                SearchResult[] results = [];
                double seconds = double.MaxValue, cpuSeconds = 0;
                using var self = Process.GetCurrentProcess();
                for (int run = 0; run < Runs; run++)
                {
                    self.Refresh();
                    var cpu = self.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    results = index.SearchMany(queries, k, options);
                    seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
                    self.Refresh();
                    cpuSeconds += (self.TotalProcessorTime - cpu).TotalSeconds / Runs;
                }
                truth ??= results.Select(r => r.Hits.Select(h => h.Distance).ToList()).ToList();
                long scanned = results.Sum(r => r.CodesScanned);
                double recall = Recall.Of(set, truth, q => results[q].Hits.Select(h => h.Key));
                rows.Add(new BenchRow(set.Count, set.Bits, set.Dataset, method.Label(index), threads,
                    1000 * seconds / queries.Count, scanned / seconds / threads, scanned / ((double)set.Count * queries.Count),
                    recall, memory, buildRate, 1000 * cpuSeconds / queries.Count));
            }
        }
        return (rows, truth!);
    }

    // About a hundred codes per shard at most 16 prefix bits: enough shards to prune, few enough to stay compact.
    public static int ShardPrefixBits(int n) => Math.Clamp((int)Math.Floor(Math.Log2(n / 100.0)), 0, 16);

    private static ShardedHammingIndex Sharded(CodeSet set, long[] keys, int prefixBits)
    {
        var index = new ShardedHammingIndex(set.Bits, prefixBits);
        index.Load(keys, set.Codes);
        return index;
    }

    private static BitSlicedHammingIndex BitSliced(CodeSet set, long[] keys)
    {
        var index = new BitSlicedHammingIndex(set.Bits);
        index.Load(keys, set.Codes);
        return index;
    }

    private static string Substrings(IBinaryIndex index)
    {
        var mih = (MultiIndexHashing)index;
        return $"(m {mih.Substrings} x {string.Join('/', mih.SubstringLengths.Distinct())} bits)";
    }

    private static (IBinaryIndex Index, long Memory, double BuildMCodesPerSecond) Build(CodeSet set, long[] keys, Func<CodeSet, long[], IBinaryIndex> build)
    {
        double seconds = double.MaxValue;
        IBinaryIndex index = null!;
        long memory = 0;
        for (int run = 0; run < Runs; run++)
        {
            index = null!;
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var clock = Stopwatch.StartNew();
            index = build(set, keys);
            seconds = Math.Min(seconds, clock.Elapsed.TotalSeconds);
            memory = GC.GetTotalMemory(forceFullCollection: true) - before;
        }
        return (index, memory, set.Count / seconds / 1e6);
    }
}
