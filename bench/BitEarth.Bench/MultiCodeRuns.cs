using System.Diagnostics;
using System.Globalization;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;

namespace BitEarth.Bench;

/// <summary>
/// `multicode`: times the exact multi-code search (<see cref="MultiCodeIndex"/>) on random code sets, one thread:
/// patches with 1-5 codes each (3 on average, as multi-code hashing gives on our archives), queries with 3 codes, both
/// matching rules. Prints milliseconds per query: wall time, best of <see cref="IndexRuns.Runs"/> runs (the least
/// disturbed on a shared machine), and this process's CPU time, mean over the runs (less moved by other processes
/// than the wall clock under load); and a checksum of the answers, so a before/after pair of runs shows the same results.
/// </summary>
public static class MultiCodeRuns
{
    public static int Run(string[] args)
    {
        int patches = 200_000, queries = 20, k = 20, seed = 42;
        int[] widths = [16, 32, 64, 128];
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
            string value = args[++i];
            switch (name)
            {
                case "--n": patches = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--queries": queries = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--k": k = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--bits": widths = [.. value.Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))]; break;
                default: throw new ArgumentException($"Unknown option {name}; multicode knows --n, --bits, --queries, --k, --seed.");
            }
        }
        string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Console.WriteLine($"multi-code search, {patches} patches, {queries} queries of 3 codes, k {k}, 1 thread, best of {IndexRuns.Runs} runs; load average {load}");
        Console.WriteLine("| bits | codes | rule | wall ms/query | CPU ms/query | checksum |");
        Console.WriteLine("| ---: | ---: | --- | ---: | ---: | ---: |");
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        foreach (int bits in widths)
        {
            var random = new Random(seed);
            var index = new MultiCodeIndex(bits);
            for (int p = 0; p < patches; p++) index.Add(p, Codes(random, bits, 1 + random.Next(5)));
            var asked = Enumerable.Range(0, queries).Select(_ => Codes(random, bits, 3)).ToList();
            foreach (var matching in new[] { MultiCodeMatching.EveryQueryCode, MultiCodeMatching.NearestPair })
            {
                index.Search(asked[0], k, matching); // warm-up: JIT, tiering
                double best = double.MaxValue, cpu = 0;
                long checksum = 0;
                for (int run = 0; run < IndexRuns.Runs; run++)
                {
                    checksum = 0;
                    self.Refresh();
                    var cpuBefore = self.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    foreach (var query in asked)
                        foreach (var hit in index.Search(query, k, matching)) checksum = checksum * 31 + hit.Key * 257 + hit.Distance;
                    best = Math.Min(best, clock.Elapsed.TotalMilliseconds / queries);
                    self.Refresh();
                    cpu += (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / queries / IndexRuns.Runs;
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {bits} | {index.CodeCount} | {matching} | {best:F2} | {cpu:F2} | {checksum:X16} |"));
            }
        }
        return 0;
    }

    private static List<HammingCode> Codes(Random random, int bits, int count) =>
        [.. Enumerable.Range(0, count).Select(_ =>
        {
            var words = new ulong[HammingCode.WordCount(bits)];
            for (int w = 0; w < words.Length; w++) words[w] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
            if (bits % 64 != 0) words[^1] &= (1UL << (bits % 64)) - 1;
            return new HammingCode(bits, words);
        })];
}
