using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// The service benchmark command docs/performance.md shows, run as written: it fills an embedded archive, starts the local host,
/// queries both paths and prints the lines scripts read. No figure is asserted (a shared machine times anything).
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class ServiceBenchReadmeTests
{
    private const string Command = "dotnet run -c Release --project bench/BitEarth.ServiceBench -- --n 2000 --seconds 1 --clients 1,2";

    [Fact]
    public async Task The_readme_service_bench_command_runs_and_prints_residency_load_and_query_lines()
    {
        Assert.Contains(Command, await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "docs", "performance.md")));
        var words = Command.Split(' ');
        var start = new ProcessStartInfo(words[0], words[1..])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}:\n{output}\n{await stderr}");
        Number(ResidentBytes().Match(output), output); // a figure (at 2000 codes, mostly fixed costs and noise)
        Assert.True(Number(Load().Match(output), output) > 0);
        foreach (var path in new[] { "in-process", "durable" })
            foreach (var clients in new[] { " 1:", " 2:" })
                Assert.Contains($"query {path,-10} clients {clients}", output);
    }

    private static double Number(Match match, string output)
    {
        Assert.True(match.Success, output);
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^resident bytes/code: (-?[0-9.]+)", RegexOptions.Multiline)]
    private static partial Regex ResidentBytes();

    [GeneratedRegex(@"^load: ([0-9.]+) M codes/s", RegexOptions.Multiline)]
    private static partial Regex Load();
}
