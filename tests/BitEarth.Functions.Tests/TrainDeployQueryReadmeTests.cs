using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace BitEarth.Functions.Tests;

/// <summary>
/// README's "Train, deploy, query" run as written, in the repository root: train (shared with the round-trip tests,
/// <see cref="TrainedPackage"/>), serve with the package, query with the curl line. Needs port 7071 free, as the reader does.
/// </summary>
[Trait("Category", "Integration")]
[Collection(ReadmePort.Name)]
public sealed class TrainDeployQueryReadmeTests
{
    [Fact]
    public async Task Train_deploy_query_as_the_readme_shows_it()
    {
        var commands = ReadmeCommands.TrainDeployQuery();
        Assert.Equal(3, commands.Count);
        var package = await TrainedPackage.PathAsync();
        var version = Path.GetFileNameWithoutExtension(package);

        using var encoders = new StashedFolder(Path.Combine(RepoPaths.Root, "encoders"));
        using var data = new StashedFolder(Path.Combine(RepoPaths.Root, ".bitearth"));
        Directory.CreateDirectory(encoders.Path);
        File.Copy(package, Path.Combine(encoders.Path, Path.GetFileName(package)));
        ReadmeCommands.AssertPortFree(7071);

        using var serve = Process.Start(ReadmeCommands.Bash(commands[1]))!;
        var output = new List<string>();
        serve.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        serve.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.Add(e.Data); };
        serve.BeginOutputReadLine();
        serve.BeginErrorReadLine();
        try
        {
            await WaitForHealthAsync(serve, output, TimeSpan.FromMinutes(8));
            var answer = JsonDocument.Parse(await ReadmeCommands.RunAsync(commands[2], TimeSpan.FromMinutes(1))).RootElement;
            Assert.True(answer.TryGetProperty("results", out var results), answer.ToString());
            Assert.Equal(version, answer.GetProperty("encoder").GetString());
            Assert.Equal(5, results.GetArrayLength());
            Assert.All(results.EnumerateArray(), r => Assert.Equal("S2", r.GetProperty("modality").GetString()));
            lock (output) Assert.Contains(output, l => l.Contains($"Encoder {version}", StringComparison.Ordinal));
            await UsingTheServiceAsync();
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    /// <summary>
    /// README's "Using the service" lines against the same host (serving the EuroSAT sample), in a folder holding the
    /// Forest_3.tif the upload line names: each must exit 0 and answer JSON without an error, or write its PNG.
    /// </summary>
    private static async Task UsingTheServiceAsync()
    {
        var folder = Directory.CreateTempSubdirectory("bitearth-readme-");
        try
        {
            File.Copy(Path.Combine(RepoPaths.SharedData, "eurosat-ms", "Forest", "Forest_3.tif"), Path.Combine(folder.FullName, "Forest_3.tif"));
            var commands = ReadmeCommands.UsingTheService();
            Assert.True(commands.Count >= 10, string.Join('\n', commands));
            foreach (var command in commands)
            {
                var printed = await ReadmeCommands.RunAsync(command, TimeSpan.FromMinutes(1), folder.FullName);
                if (command.Contains(" -o ", StringComparison.Ordinal))
                {
                    var written = Path.Combine(folder.FullName, command.Split(" -o ")[1].Split(' ')[0]);
                    Assert.True(File.ReadAllBytes(written).AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']), $"'{command}' wrote no PNG");
                    continue;
                }
                var answer = JsonDocument.Parse(printed).RootElement;
                Assert.False(answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("error", out _), $"'{command}' answered {printed}");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task WaitForHealthAsync(Process serve, List<string> output, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:7071"), Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            if (serve.HasExited) break;
            try { if ((await http.GetAsync("/api/health")).StatusCode == HttpStatusCode.OK) return; }
            catch (HttpRequestException) { } // not listening yet
            catch (TaskCanceledException) { } // busy building or ingesting
        }
        lock (output) Assert.Fail($"the local host was not healthy within {timeout} (exited: {serve.HasExited}):\n{string.Join('\n', output)}");
    }
}
