using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// The commands of README's "Train, deploy, query" and "Using the service" sections, read from README.md itself so
/// the tests run exactly what a reader pastes, through bash (globs expand as in the reader's shell).
/// </summary>
internal static partial class ReadmeCommands
{
    public const string Section = "## Train, deploy, query";

    public const string ServiceSection = "## Using the service";

    public const string TwoCommandsSection = "## Two commands";

    /// <summary>The section's first sh block, one command per line (comments and blank lines dropped).</summary>
    public static IReadOnlyList<string> TrainDeployQuery() => Block(Section);

    /// <summary>The two commands of a fresh machine: the first runs the service, the second the tests.</summary>
    public static IReadOnlyList<string> TwoCommands() => [.. Blocks(TwoCommandsSection, 2).Select(b => b.Single())];

    /// <summary>The curl lines of "Using the service", a command continued with a trailing backslash joined into one.</summary>
    public static IReadOnlyList<string> UsingTheService() => Block(ServiceSection);

    private static List<string> Block(string section) => Blocks(section, 1)[0];

    /// <summary>The section's first <paramref name="count"/> sh blocks, each as its commands.</summary>
    private static List<List<string>> Blocks(string section, int count)
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        int start = readme.IndexOf(section + "\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"README.md has no '{section}' section");
        int end = readme.IndexOf("\n## ", start + section.Length, StringComparison.Ordinal);
        var blocks = new List<List<string>>();
        for (var block = ShBlock().Match(readme, start); block.Success && (end < 0 || block.Index < end) && blocks.Count < count; block = block.NextMatch())
        {
            var joined = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
            blocks.Add([.. joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))]);
        }
        if (blocks.Count < count) throw new InvalidOperationException($"README.md's '{section}' section has {blocks.Count} sh blocks, not {count}");
        return blocks;
    }

    public static ProcessStartInfo Bash(string command, string? workingDirectory = null) => new("bash", ["-c", command])
    {
        WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        Environment = { ["PATH"] = $"{DotnetDirectory()}:{Environment.GetEnvironmentVariable("PATH")}" },
    };

    /// <summary>Runs a command to its end; its output, or a failure with everything it printed.</summary>
    public static async Task<string> RunAsync(string command, TimeSpan timeout, string? workingDirectory = null)
    {
        using var process = Process.Start(Bash(command, workingDirectory))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' did not end within {timeout}:\n{await stdout}\n{await stderr}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{command}' exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }

    /// <summary>README's commands use the local host's default port: a test of them fails, not waits, when it is taken.</summary>
    public static void AssertPortFree(int port)
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        try { probe.Start(); }
        catch (System.Net.Sockets.SocketException e) { Assert.Fail($"port {port} (README's) is in use, so README's commands cannot run here: {e.Message}"); }
        probe.Stop();
    }

    // The tests run as "dotnet testhost.dll": the commands' dotnet is that one, whatever PATH says.
    private static string DotnetDirectory() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Path.GetDirectoryName(Environment.ProcessPath)! : "/usr/bin";

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();
}
