using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// A re-index whose host process is killed mid-run resumes in a new host process and counts every patch exactly once:
/// on Azurite from the task hub's history, on the embedded backend from the orchestration log the in-memory engine's
/// commits are journaled to (its status URL answers again after the restart).
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class ReindexResumeTests(ITestOutputHelper output)
{
    private const int Patches = 40; // 20 synthetic S2/S1 pairs

    [Theory]
    [InlineData("azurite")]
    [InlineData("embedded")]
    public async Task A_reindex_killed_mid_run_resumes_in_a_new_host_without_loss_or_double_counting(string backend)
    {
        string[] arguments = ["--backend", backend, "--synthetic", "20"];
        var data = Directory.CreateTempSubdirectory("bitearth-resume-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["Cosmos__Database"] = $"resume{Guid.NewGuid():N}"[..16],
            ["Durable__TaskHub"] = $"resume{Guid.NewGuid():N}"[..16],
        };

        string statusPath, encoder;
        JsonElement atKill;
        await using (var first = await LocalHostProcess.StartAsync(data, environment, TimeSpan.FromMinutes(2), arguments))
        {
            // Two blob names per generation, one per activity: twenty generations, so a kill lands mid-run.
            var response = await first.Http.PostAsJsonAsync("/api/reindex", new { bits = 128, seed = 11, batchSize = 1, pageSize = 2 });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var started = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            statusPath = new Uri(started.GetProperty("statusUrl").GetString()!).PathAndQuery;
            encoder = started.GetProperty("encoder").GetString()!;
            atKill = await WaitAsync(first, statusPath, p => Indexed(p) >= 4, TimeSpan.FromSeconds(60));
            await first.KillAsync();
        }
        Assert.Equal("Running", atKill.GetProperty("status").GetString());
        Assert.InRange(Indexed(atKill), 4, Patches - 1);

        var restarted = DateTime.UtcNow;
        await using var second = await LocalHostProcess.StartAsync(data, environment, TimeSpan.FromMinutes(2), arguments);
        var done = await WaitAsync(second, statusPath, p => p.GetProperty("status").GetString() is "Completed" or "Failed", TimeSpan.FromSeconds(150));
        Assert.True(done.GetProperty("status").GetString() == "Completed", $"{done}\n{second.Output}");
        output.WriteLine($"killed at {Indexed(atKill)}/{Patches} indexed; completed {DateTime.UtcNow - restarted:g} after the restart");
        var progress = done.GetProperty("progress");
        Assert.Equal(Patches, progress.GetProperty("indexed").GetInt32());
        Assert.Equal(0, progress.GetProperty("quarantined").GetInt32());
        Assert.Equal(0, progress.GetProperty("missing").GetInt32());
        Assert.True(progress.GetProperty("activated").GetBoolean());

        var again = await second.Http.PostAsJsonAsync("/api/reindex", new { bits = 64, seed = 5 });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode); // the finished run no longer blocks a new one

        var health = await second.GetJsonAsync("/api/health/details");
        Assert.Equal(encoder, health.GetProperty("encoder").GetString());
        Assert.Equal(Patches, health.GetProperty("codes").GetInt32());
    }

    private static int Indexed(JsonElement status) =>
        status.TryGetProperty("progress", out var p) && p.ValueKind == JsonValueKind.Object ? p.GetProperty("indexed").GetInt32() : 0;

    private static async Task<JsonElement> WaitAsync(LocalHostProcess host, string statusPath, Func<JsonElement, bool> until, TimeSpan timeout)
    {
        JsonElement status = default;
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            status = await host.GetJsonAsync(statusPath);
            if (until(status)) return status;
        }
        throw new TimeoutException($"re-index status after {timeout}: {status}\n{host.Output}");
    }
}
