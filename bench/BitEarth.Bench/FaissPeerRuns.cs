using System.Diagnostics;
using System.Globalization;
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
    public static string DefaultPath =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "bitearth", "faiss-1.15.0", "faiss_bench");

    public static string MissingMessage(string path) =>
        $"FAISS 1.15 peer not found at {path}: build it once with ../shared/peers/faiss/build.sh (about 10 minutes on 2 cores; " +
        "it prints the program's path, pass it with --faiss-bench); rows below compare against Debian's FAISS 1.7.3 only.";

    /// <summary>The peer's rows, and its own lines worth keeping (version, build, load at its start, IVF training).</summary>
    public static (List<BenchRow> Rows, List<string> Notes) Run(string program, CodeSet set, (string Codes, string Queries) files, int k, string? ivf)
    {
        var start = new ProcessStartInfo(program)
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
        if (ivf is not null)
        {
            start.ArgumentList.Add("--ivf");
            start.ArgumentList.Add(ivf);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {errors.Result}");

        string build = "FAISS (unknown build)";
        var rows = new List<BenchRow>();
        var notes = new List<string>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Banner().Match(line) is { Success: true } banner)
            {
                build = $"FAISS {banner.Groups["version"].Value} {banner.Groups["options"].Value.Trim()}";
                notes.Add($"{set.Dataset} {set.Count:N0} x {set.Bits}: {line}");
            }
            else if (line.StartsWith("IndexBinaryIVF", StringComparison.Ordinal)) notes.Add($"{set.Dataset} {set.Count:N0} x {set.Bits}: {line}");
            else if (line.StartsWith("| faiss-current ", StringComparison.Ordinal)) rows.Add(Row(set, build, line, notes));
        }
        return rows.Count > 0 ? (rows, notes) : throw new InvalidOperationException($"{program} printed no result rows:\n{output}");
    }

    // | label | threads | ms/query | codes/s/thread | fraction touched | recall | kth mismatches | dist mismatches | add s |
    private static BenchRow Row(CodeSet set, string build, string line, List<string> notes)
    {
        var cells = line.Trim('|').Split('|', StringSplitOptions.TrimEntries);
        double Number(int i) => double.Parse(cells[i].TrimEnd('G', ' '), CultureInfo.InvariantCulture);
        string method = cells[0]["faiss-current ".Length..];
        int threads = (int)Number(1);
        if (Number(6) != 0 || Number(7) != 0)
            notes.Add($"{set.Dataset} {set.Count:N0} x {set.Bits}: {build} {method}, {threads} threads: k-th distance wrong for {cells[6]} queries, {cells[7]} reported distances wrong.");
        double addSeconds = Number(8);
        return new BenchRow(set.Count, set.Bits, set.Dataset, $"{build}: {method}", threads, Number(2), Number(3) * 1e9, Number(4), Number(5),
            MemoryBytes: null, addSeconds > 0 ? set.Count / addSeconds / 1e6 : double.NaN);
    }

    [GeneratedRegex(@"^FAISS (?<version>\S+) \(compile options: (?<options>[^)]*)\)")]
    private static partial Regex Banner();
}
