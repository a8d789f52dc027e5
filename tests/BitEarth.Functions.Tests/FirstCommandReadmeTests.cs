using System.Diagnostics;
using System.Text.Json;

namespace BitEarth.Functions.Tests;

/// <summary>
/// README's "Two commands", run as written: the first, in the repository root as a reader types it (port 7071, data
/// in ./.bitearth, the synthetic archive, the learned default), until it serves; then the example query it prints is
/// pasted into a shell. The second is the command `.ci/run` itself calls, so CI runs it on every change.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ReadmePort.Name)]
public sealed class FirstCommandReadmeTests
{
    [Fact]
    public async Task The_first_command_serves_the_synthetic_archive_and_its_printed_example_query_answers()
    {
        var commands = ReadmeCommands.TwoCommands();
        Assert.Equal(["dotnet run --project functions/BitEarth.Local", "tools/test.sh"], commands);
        Assert.Contains("\ntools/test.sh ", await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, ".ci", "run")));

        using var data = new StashedFolder(Path.Combine(RepoPaths.Root, ".bitearth"));
        ReadmeCommands.AssertPortFree(7071);
        using var serve = Process.Start(ReadmeCommands.Bash(commands[0]))!;
        var output = new List<string>();
        var serving = new TaskCompletionSource();
        serve.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.Add(e.Data);
            if (e.Data.StartsWith("Serving;", StringComparison.Ordinal)) serving.TrySetResult();
        };
        serve.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            var ended = await Task.WhenAny(serving.Task, serve.WaitForExitAsync(), Task.Delay(TimeSpan.FromMinutes(10)));
            string[] printed;
            lock (output) printed = [.. output];
            Assert.True(ended == serving.Task, $"the first command did not reach 'Serving;' (exited: {serve.HasExited}):\n{string.Join('\n', printed)}");

            Assert.Contains(printed, l => l.StartsWith("Archive: ", StringComparison.Ordinal));
            Assert.Contains(printed, l => l.StartsWith("Explorer (open in a browser): http://127.0.0.1:7071/?patchId=", StringComparison.Ordinal));
            Assert.Contains("Answer (200):", printed);
            var paste = Array.IndexOf(printed, "Example query (paste into a shell):");
            Assert.True(paste >= 0, string.Join('\n', printed));

            var answer = JsonDocument.Parse(await ReadmeCommands.RunAsync(printed[paste + 1].Trim(), TimeSpan.FromMinutes(1))).RootElement;
            Assert.StartsWith("resnet18-itq-64-", answer.GetProperty("encoder").GetString(), StringComparison.Ordinal);
            Assert.Equal(5, answer.GetProperty("results").GetArrayLength());
            Assert.True(Directory.Exists(data.Path), "the default --data is ./.bitearth in the directory the command ran in");
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }
}
