using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace BitEarth.Bench;

/// <summary>
/// Runs the FAISS 1.15 peer (../shared/peers/faiss: FAISS built from source at the CPU's best instruction set, and
/// faiss_bench, which times IndexBinaryFlat and IndexBinaryIVF and checks every answer against its own brute force)
/// as a child process on the same code files, and turns its markdown rows into ours, labelled with the version and
/// compile options the program prints.
/// </summary>
public static partial class FaissPeerRuns
{
    private const string Stdbuf = "/usr/bin/stdbuf";

    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "bitearth", "faiss-1.15.0", "faiss_bench");

    public static string MissingMessage(string path) =>
        $"FAISS 1.15 peer not found at {path}: build it once with ../shared/peers/faiss/build.sh (about 10 minutes on 2 cores; " +
        "it prints the program's path, pass it with --faiss-bench); rows below compare against Debian's FAISS 1.7.3 only.";

    /// <summary>The peer's rows, and its own lines worth keeping (version, build, load at its start, IVF training).</summary>
    public static (List<BenchRow> Rows, List<string> Notes) Run(string program, CodeSet set, (string Codes, string Queries) files, int k, string? ivf)
    {
        // Through stdbuf when there is one, so the peer's lines arrive as it prints them (a pipe is block-buffered),
        // and each row's CPU time is what ran since the line before.
        bool lineBuffered = File.Exists(Stdbuf);
        var start = new ProcessStartInfo(lineBuffered ? Stdbuf : program)
        {
            ArgumentList =
            {
                "--codes", files.Codes, "--queries", files.Queries, "--bits", set.Bits.ToString(CultureInfo.InvariantCulture),
                "--k", k.ToString(CultureInfo.InvariantCulture), "--threads", string.Join(',', new[] { 1, Environment.ProcessorCount }.Distinct()),
                "--runs", IndexRuns.Runs.ToString(CultureInfo.InvariantCulture),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (lineBuffered)
        {
            start.ArgumentList.Insert(0, "-oL");
            start.ArgumentList.Insert(1, program);
        }
        if (ivf is not null)
        {
            start.ArgumentList.Add("--ivf");
            start.ArgumentList.Add(ivf);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var errors = process.StandardError.ReadToEndAsync();
        string build = "FAISS (unknown build)";
        var rows = new List<BenchRow>();
        var notes = new List<string>();
        var output = new StringBuilder();
        // The peer's CPU time when the previous line arrived: a row's CPU is what the program used since (its warm-up,
        // the timed runs and the answer check), read from the scheduler's per-thread run times.
        long cpuAt = CpuNanoseconds(process.Id);
        int perRow = IndexRuns.Runs * set.QueryCount + Math.Min(set.QueryCount, 16);
        for (string? line; (line = process.StandardOutput.ReadLine()) is not null;)
        {
            long cpu = CpuNanoseconds(process.Id);
            line = line.Trim();
            output.AppendLine(line);
            if (Banner().Match(line) is { Success: true } banner)
            {
                build = $"FAISS {banner.Groups["version"].Value} {banner.Groups["options"].Value.Trim()}";
                notes.Add($"{set.Dataset} {set.Count:N0} x {set.Bits}: {line}");
            }
            else if (line.StartsWith("IndexBinaryIVF", StringComparison.Ordinal)) notes.Add($"{set.Dataset} {set.Count:N0} x {set.Bits}: {line}");
            else if (line.StartsWith("| faiss-current ", StringComparison.Ordinal)) rows.Add(Row(set, build, line, notes, cpu > cpuAt ? (cpu - cpuAt) / 1e6 / perRow : null));
            cpuAt = cpu;
        }
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {errors.Result}");
        return rows.Count > 0 ? (rows, notes) : throw new InvalidOperationException($"{program} printed no result rows:\n{output}");
    }

    // | label | threads | ms/query | codes/s/thread | fraction touched | recall | kth mismatches | dist mismatches | add s |
    private static BenchRow Row(CodeSet set, string build, string line, List<string> notes, double? cpuMsPerQuery)
    {
        var cells = line.Trim('|').Split('|', StringSplitOptions.TrimEntries);
        double Number(int i) => double.Parse(cells[i].TrimEnd('G', ' '), CultureInfo.InvariantCulture);
        string method = cells[0]["faiss-current ".Length..];
        int threads = (int)Number(1);
        if (Number(6) != 0 || Number(7) != 0)
            notes.Add($"{set.Dataset} {set.Count:N0} x {set.Bits}: {build} {method}, {threads} threads: k-th distance wrong for {cells[6]} queries, {cells[7]} reported distances wrong.");
        double addSeconds = Number(8);
        return new BenchRow(set.Count, set.Bits, set.Dataset, $"{build}: {method}", threads, Number(2), Number(3) * 1e9, Number(4), Number(5),
            MemoryBytes: null, addSeconds > 0 ? set.Count / addSeconds / 1e6 : double.NaN, cpuMsPerQuery);
    }

    // Sum over the process's threads of the first field of /proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU.
    private static long CpuNanoseconds(int pid)
    {
        long total = 0;
        try
        {
            foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try { total += long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture); }
                catch (IOException) { } // the thread ended between listing and reading
            }
        }
        catch (DirectoryNotFoundException) { } // the process has ended
        return total;
    }

    [GeneratedRegex(@"^FAISS (?<version>\S+) \(compile options: (?<options>[^)]*)\)")]
    private static partial Regex Banner();
}
