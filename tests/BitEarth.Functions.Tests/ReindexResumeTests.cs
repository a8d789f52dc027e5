using System.Net;
using System.Text.Json;

namespace BitEarth.Functions.Tests;

/// <summary>
/// A re-index whose host stops mid-run resumes in the next host on the same task hub (Durable Task engine on Azurite)
/// and finishes with every patch counted once.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteCollection.Name)]
public sealed class ReindexResumeTests
{
    [Fact]
    public async Task Reindex_stopped_mid_run_resumes_in_a_new_host_without_loss_or_duplicates()
    {
        var settings = new Dictionary<string, string?> { ["Cosmos:Database"] = $"resume{Guid.NewGuid():N}"[..16] };
        string statusPath;
        int patches;
        await using (var first = await LocalHostRunner.StartAsync("azurite", synthetic: 20, settings: settings))
        {
            patches = (await first.GetJsonAsync("/api/health")).Body.GetProperty("codes").GetInt32();
            var (status, started) = await first.PostJsonAsync("/api/reindex", new { bits = 32, seed = 11, batchSize = 1 });
            Assert.Equal(HttpStatusCode.Accepted, status);
            statusPath = new Uri(started.GetProperty("statusUrl").GetString()!).PathAndQuery;
            // Stop as soon as some batches are done, long before all of them.
            for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(20))
            {
                var (_, body) = await first.GetJsonAsync(statusPath);
                if (body.GetProperty("status").GetString() != "Pending") break;
            }
        }

        await using var second = await LocalHostRunner.StartAsync("azurite", synthetic: 20, settings: settings);
        JsonElement progress = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            (_, progress) = await second.GetJsonAsync(statusPath);
            if (progress.GetProperty("status").GetString() is "Completed" or "Failed") break;
        }
        Assert.Equal("Completed", progress.GetProperty("status").GetString());
        Assert.Equal(patches, progress.GetProperty("progress").GetProperty("indexed").GetInt32());
        var (_, health) = await second.GetJsonAsync("/api/health");
        Assert.Equal(patches, health.GetProperty("codes").GetInt32());
    }
}
