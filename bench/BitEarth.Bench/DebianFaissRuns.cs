using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BitEarth.Bench;

/// <summary>
/// Runs bench/faiss_bench.py (Debian python3-faiss under /usr/bin/python3, a generic build whose popcount is a
/// software call) on the same files and scores its ids; rows are labelled with the FAISS version it reports.
/// </summary>
public static class DebianFaissRuns
{
    private const string Python = "/usr/bin/python3";

    private sealed record FaissRow(
        [property: JsonPropertyName("method")] string Method,
        [property: JsonPropertyName("version")] string Version,
        [property: JsonPropertyName("threads")] int Threads,
        [property: JsonPropertyName("ms_per_query")] double MsPerQuery,
        [property: JsonPropertyName("codes_scanned")] long CodesScanned,
        [property: JsonPropertyName("memory_bytes")] long MemoryBytes,
        [property: JsonPropertyName("add_seconds")] double AddSeconds,
        [property: JsonPropertyName("ids_file")] string IdsFile);

    public static List<BenchRow> Run(CodeSet set, (string Codes, string Queries) files, int k, IReadOnlyList<List<int>> truth, string outDirectory, IReadOnlyList<string> methods)
    {
        string script = FindScript();
        var start = new ProcessStartInfo(Python)
        {
            ArgumentList =
            {
                script, "--codes", files.Codes, "--queries", files.Queries, "--bits", set.Bits.ToString(CultureInfo.InvariantCulture), "--k", k.ToString(CultureInfo.InvariantCulture),
                "--threads", string.Join(',', new[] { 1, Environment.ProcessorCount }.Distinct()), "--out", outDirectory,
                "--methods", string.Join(',', methods),
            },
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"faiss_bench.py failed ({process.ExitCode}); is python3-faiss installed (apt-get install python3-faiss)? {errors}");

        var rows = JsonSerializer.Deserialize<List<FaissRow>>(File.ReadAllText(Path.Combine(outDirectory, "faiss.json")))!;
        return rows.Select(r =>
        {
            var ids = MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(r.IdsFile)).ToArray();
            double recall = Recall.Of(set, truth, q => ids.Skip(q * k).Take(k));
            double seconds = r.MsPerQuery * set.QueryCount / 1000;
            return new BenchRow(set.Count, set.Bits, set.Dataset, $"FAISS {r.Version} Debian generic: {r.Method}", r.Threads, r.MsPerQuery,
                r.CodesScanned / seconds / r.Threads, r.CodesScanned / ((double)set.Count * set.QueryCount), recall,
                r.MemoryBytes, set.Count / r.AddSeconds / 1e6);
        }).ToList();
    }

    // Above the program (dotnet run) or above the working directory (a program built elsewhere, run from the repository).
    private static string FindScript()
    {
        foreach (string from in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "faiss_bench.py");
                if (File.Exists(candidate)) return candidate;
            }
        throw new FileNotFoundException($"bench/faiss_bench.py not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}");
    }
}
