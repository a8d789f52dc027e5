using System.Runtime.Intrinsics;
using BitEarth.Bench;

BenchOptions options;
try
{
    if (args is ["multicode", .. var multiCode]) return MultiCodeRuns.Run(multiCode);
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
var notes = new List<string>
{
    $"load average {load}; best of {IndexRuns.Runs} runs per row; cores {Environment.ProcessorCount}, Vector512 {Vector512.IsHardwareAccelerated}, Vector256 {Vector256.IsHardwareAccelerated}; k {options.K}, {options.Queries} queries; data in {options.DataDirectory}",
};
bool peer = options.Faiss && File.Exists(options.FaissBench);
if (options.Faiss && !peer) notes.Add(FaissPeerRuns.MissingMessage(options.FaissBench));
foreach (var note in notes) Console.WriteLine(note);
Console.WriteLine(ResultTable.Header);
var rows = new List<BenchRow>();
foreach (int n in options.Sizes)
foreach (int bits in options.Bits)
foreach (string dataset in new[] { "uniform", "clustered" })
{
    var set = CodeSet.Generate(dataset, n, bits, options.Queries, options.Seed);
    var files = set.WriteTo(options.DataDirectory);
    string read = MemoryRead.Describe(set);
    Console.WriteLine(read);
    notes.Add(read);
    var (ours, truth) = IndexRuns.Run(set, options.K, options.Ours);
    var faiss = new List<BenchRow>();
    if (options.Faiss)
    {
        if (options.FaissMethods.Count > 0) faiss.AddRange(DebianFaissRuns.Run(set, files, options.K, truth, options.DataDirectory, options.FaissMethods));
        if (peer)
        {
            var (current, peerNotes) = FaissPeerRuns.Run(options.FaissBench, set, files, options.K, dataset == "clustered" ? options.FaissIvf : null);
            faiss.AddRange(current);
            foreach (var note in peerNotes) Console.WriteLine(note);
            notes.AddRange(peerNotes);
        }
    }
    foreach (var row in ours.Concat(faiss))
    {
        Console.WriteLine(ResultTable.Line(row));
        rows.Add(row);
    }
}
if (options.Markdown is { } markdown) File.WriteAllText(markdown, ResultTable.Render(rows, notes));
return 0;
