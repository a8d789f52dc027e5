using System.Globalization;
using System.Net;
using System.Text.Json;
using BitEarth.Core.Evaluation;
using BitEarth.Local.Startup;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// The local host's default encoder on a fresh archive: pretrained ResNet-18 features with ITQ fitted on the archive
/// being seeded, against random-hyperplane LSH, through the service (every query by id over HTTP).
/// </summary>
public sealed class LearnedDefaultEncoderTests(ITestOutputHelper output)
{
    private static readonly string EuroSat = Path.Combine(RepoPaths.SharedData, "eurosat-ms");

    /// <summary>
    /// Each of the 120 EuroSAT patches queried by id against the other 119 (11 relevant each, so P@10 is at most 1).
    /// Measured through the service: learned default P@10 0.502 / mAP@10 0.688, LSH 0.360 / 0.560. Asserted margin on
    /// P@10: 0.08.
    /// </summary>
    [Fact]
    public async Task The_learned_default_finds_EuroSAT_classes_better_than_LSH_through_the_service()
    {
        var learned = await MeasureAsync(DefaultEncoder.Learned);
        var lsh = await MeasureAsync(DefaultEncoder.Lsh);
        Assert.StartsWith("resnet18-itq-64-", learned.Encoder, StringComparison.Ordinal);
        Assert.StartsWith("lsh-64-", lsh.Encoder, StringComparison.Ordinal);
        Assert.True(learned.Precision > lsh.Precision + 0.08, $"learned P@10 {learned.Precision:F3}, LSH {lsh.Precision:F3}");
        Assert.True(learned.MeanAveragePrecision > lsh.MeanAveragePrecision, $"learned mAP@10 {learned.MeanAveragePrecision:F3}, LSH {lsh.MeanAveragePrecision:F3}");
    }

    [Fact]
    public async Task An_existing_archive_keeps_its_active_encoder_whatever_the_default()
    {
        string data, first;
        await using (var host = await LocalHostRunner.StartAsync("embedded", synthetic: 12, defaultEncoder: DefaultEncoder.Learned))
        {
            data = host.Data;
            first = (await host.Store.GetActiveEncoderAsync())!;
            Assert.StartsWith("resnet18-itq-64-", first, StringComparison.Ordinal);
        }
        await using var again = await LocalHostRunner.StartAsync("embedded", synthetic: 12, data: data, defaultEncoder: DefaultEncoder.Lsh);
        Assert.Equal(first, await again.Store.GetActiveEncoderAsync());
        var (status, health) = await again.GetJsonAsync("/api/health/details");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(first, health.GetProperty("encoder").GetString());
    }

    /// <summary>How the deployed Function App gets the learned encoder: a re-index that fits it on the archive first.</summary>
    [Fact]
    public async Task A_resnet_itq_reindex_fits_on_the_archive_rehashes_it_and_switches_to_it()
    {
        await using var host = await LocalHostRunner.StartAsync("embedded", synthetic: 12, defaultEncoder: DefaultEncoder.Lsh);
        var before = await host.Store.GetActiveEncoderAsync();
        Assert.StartsWith("lsh-", before, StringComparison.Ordinal);
        var (status, started) = await host.PostJsonAsync("/api/reindex", new { method = "resnet-itq", bits = 32, batchSize = 10 });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var statusUrl = started.GetProperty("statusUrl").GetString()!;
        JsonElement progress = default;
        for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            (_, progress) = await host.GetJsonAsync(new Uri(statusUrl).PathAndQuery);
            if (progress.GetProperty("status").GetString() is "Completed" or "Failed") break;
        }
        Assert.Equal("Completed", progress.GetProperty("status").GetString());
        Assert.Equal(24, progress.GetProperty("progress").GetProperty("indexed").GetInt32());
        var encoder = progress.GetProperty("progress").GetProperty("encoder").GetString()!;
        Assert.StartsWith("resnet18-itq-32-", encoder, StringComparison.Ordinal);
        Assert.Equal(encoder, await host.Store.GetActiveEncoderAsync());
        var (queried, answer) = await host.PostJsonAsync("/api/query", new { patchId = (await AnyIndexedIdAsync(host)), k = 5 });
        Assert.Equal(HttpStatusCode.OK, queried);
        Assert.Equal(encoder, answer.GetProperty("encoder").GetString());

        var (bad, error) = await host.PostJsonAsync("/api/reindex", new { method = "pca" });
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("method", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> AnyIndexedIdAsync(LocalHostRunner host)
    {
        await foreach (var name in host.Blobs.ListAsync(Core.Stores.Containers.Patches, null))
        {
            var id = Path.GetFileNameWithoutExtension(name);
            if (await host.Store.GetPatchAsync(id) is not null) return id;
        }
        throw new InvalidOperationException("no patch was indexed");
    }

    private sealed record Quality(string Encoder, double Precision, double MeanAveragePrecision);

    private async Task<Quality> MeasureAsync(string defaultEncoder)
    {
        await using var host = await LocalHostRunner.StartAsync("embedded", archive: EuroSat, defaultEncoder: defaultEncoder);
        var ids = Directory.GetDirectories(EuroSat).SelectMany(d => Directory.GetFiles(d, "*.tif"))
            .Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
        double precision = 0, averagePrecision = 0;
        string encoder = "";
        foreach (var id in ids)
        {
            var (status, body) = await host.PostJsonAsync("/api/query", new { patchId = id, k = 10, path = "in-process" });
            Assert.Equal(HttpStatusCode.OK, status);
            encoder = body.GetProperty("encoder").GetString()!;
            var label = id[..id.LastIndexOf('_')];
            var ranked = body.GetProperty("results").EnumerateArray()
                .Select(r => (IEnumerable<string>)[.. r.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)]).ToList();
            Assert.Equal(10, ranked.Count);
            precision += ranked.Count(labels => labels.Contains(label)) / 10.0;
            averagePrecision += RetrievalMetrics.AveragePrecision([label], ranked, 10);
        }
        var quality = new Quality(encoder, precision / ids.Count, averagePrecision / ids.Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{quality.Encoder}: P@10 {quality.Precision:F3}, mAP@10 {quality.MeanAveragePrecision:F3} over {ids.Count} queries by id"));
        return quality;
    }
}
