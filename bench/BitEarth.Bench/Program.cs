using System.Runtime.Intrinsics;
using BitEarth.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
Console.WriteLine($"load average {load}; best of {IndexRuns.Runs} runs per row; cores {Environment.ProcessorCount}, Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}; k {options.K}, {options.Queries} queries; data in {options.DataDirectory}");
Console.WriteLine(ResultTable.Header);
var rows = new List<BenchRow>();
foreach (int n in options.Sizes)
foreach (int bits in options.Bits)
foreach (string dataset in new[] { "uniform", "clustered" })
{
    var set = CodeSet.Generate(dataset, n, bits, options.Queries, options.Seed);
    var files = set.WriteTo(options.DataDirectory);
    var (ours, truth) = IndexRuns.Run(set, options.K);
    var faiss = options.Faiss ? FaissRuns.Run(set, files, options.K, truth, options.DataDirectory, options.FaissMethods) : [];
    foreach (var row in ours.Concat(faiss))
    {
        Console.WriteLine(ResultTable.Line(row));
        rows.Add(row);
    }
}
if (options.Markdown is { } markdown) File.WriteAllText(markdown, ResultTable.Render(rows));
return 0;
