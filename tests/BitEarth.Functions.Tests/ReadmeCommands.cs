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

    /// <summary>The section's first sh block, one command per line (comments and blank lines dropped).</summary>
    public static IReadOnlyList<string> TrainDeployQuery() => Block(Section);

    /// <summary>The curl lines of "Using the service", a command continued with a trailing backslash joined into one.</summary>
    public static IReadOnlyList<string> UsingTheService() => Block(ServiceSection);

    private static List<string> Block(string section)
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        int start = readme.IndexOf(section + "\n", StringComparison.Ordinal);
        if (start < 0) throw new InvalidOperationException($"README.md has no '{section}' section");
        var block = ShBlock().Match(readme, start);
        if (!block.Success) throw new InvalidOperationException($"README.md's '{section}' section has no sh block");
        var joined = block.Groups[1].Value.Replace("\\\n", " ", StringComparison.Ordinal);
        return [.. joined.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
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

    // The tests run as "dotnet testhost.dll": the commands' dotnet is that one, whatever PATH says.
    private static string DotnetDirectory() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Path.GetDirectoryName(Environment.ProcessPath)! : "/usr/bin";

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShBlock();
}
