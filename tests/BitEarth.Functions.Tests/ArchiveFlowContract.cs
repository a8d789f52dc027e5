using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;

namespace BitEarth.Functions.Tests;

/// <summary>
/// Ingest -> query -> re-index through the local host's HTTP routes, the same for every backend: what a user of the
/// service sees, on the synthetic archive.
/// </summary>
public abstract class ArchiveFlowContract(string backend) : IAsyncLifetime
{
    protected LocalHostRunner Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await LocalHostRunner.StartAsync(backend, settings: Settings());

    public async Task DisposeAsync() => await Host.DisposeAsync();

    protected virtual IReadOnlyDictionary<string, string?>? Settings() => null;

    private async Task<string> AnyPatchIdAsync(string modality = "S2")
    {
        await foreach (var name in Host.Blobs.ListAsync(Containers.Patches, $"bigearthnet/{modality}/"))
            return Path.GetFileNameWithoutExtension(name);
        throw new InvalidOperationException("no synthetic patch");
    }

    [Fact]
    public async Task Health_reports_the_ingested_codes()
    {
        var (status, body) = await Host.GetJsonAsync("/api/health/details");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(40, body.GetProperty("codes").GetInt32());
    }

    [Fact]
    public async Task Durable_fan_out_and_in_process_give_the_same_ranked_answer()
    {
        var id = await AnyPatchIdAsync();
        var (s1, durable) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 10, path = "durable" });
        var (s2, local) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 10, path = "in-process" });
        Assert.Equal(HttpStatusCode.OK, s1);
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal(ArchiveSearch.FanOutPath, durable.GetProperty("path").GetString());
        Assert.Equal(ArchiveSearch.InProcessPath, local.GetProperty("path").GetString());
        var a = Results(durable);
        Assert.Equal(10, a.Count);
        Assert.Equal(a, Results(local));
        Assert.DoesNotContain(a, r => r.Id == id);
        Assert.Equal(a.OrderBy(r => r.Distance).ThenBy(r => r.Id, StringComparer.Ordinal), a);
    }

    [Fact]
    public async Task Target_restricts_results_to_one_modality()
    {
        var id = await AnyPatchIdAsync("S1");
        var (status, body) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, target = "S1" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, body.GetProperty("results").GetArrayLength());
        Assert.All(body.GetProperty("results").EnumerateArray(), r => Assert.Equal("S1", r.GetProperty("modality").GetString()));
    }

    [Theory]
    [InlineData("S2", "S1")]
    [InlineData("S1", "S2")]
    [InlineData("S2", "any")]
    public async Task A_cross_modal_query_under_lsh_is_refused_with_the_reason_not_ranked(string from, string target)
    {
        var id = await AnyPatchIdAsync(from);
        foreach (var path in new[] { "durable", "in-process" })
        {
            var (status, body) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, target, path });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("separate code spaces", body.GetProperty("error").GetString());
        }
    }

    [Fact]
    public async Task Health_and_encoders_show_the_active_encoder_and_that_lsh_shares_no_code_space()
    {
        var (_, health) = await Host.GetJsonAsync("/api/health/details");
        var active = health.GetProperty("encoder").GetString();
        Assert.Equal(64, health.GetProperty("bits").GetInt32());
        Assert.False(health.GetProperty("sharedCodeSpace").GetBoolean());
        Assert.Equal(["S1", "S2"], health.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(Host.Service<Onnx.OnnxSessionFactory>().Provider, health.GetProperty("onnxProvider").GetString());

        var (status, listed) = await Host.GetJsonAsync("/api/encoders");
        Assert.Equal(HttpStatusCode.OK, status);
        // The Azurite backend's encoders container is shared by every test and run: look for this archive's encoder.
        var encoder = Assert.Single(listed.GetProperty("encoders").EnumerateArray(), e => e.GetProperty("active").GetBoolean());
        Assert.Equal(active, encoder.GetProperty("version").GetString());
        Assert.Equal($"{active}.json", encoder.GetProperty("blob").GetString());
        Assert.True(encoder.GetProperty("active").GetBoolean());
        Assert.False(encoder.GetProperty("pending").GetBoolean());
        Assert.False(encoder.GetProperty("sharedCodeSpace").GetBoolean());
    }

    [Theory]
    [InlineData("../patches/x", HttpStatusCode.BadRequest)]
    [InlineData("a/b", HttpStatusCode.BadRequest)]
    [InlineData("..", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("no-such-encoder", HttpStatusCode.NotFound)]
    public async Task Reindex_to_an_encoder_that_is_no_plain_name_is_400_and_an_unknown_one_404(string encoder, HttpStatusCode expected)
    {
        var (status, body) = await Host.PostJsonAsync("/api/reindex", new { encoder });
        Assert.Equal(expected, status);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task A_trainer_package_dropped_into_the_encoders_container_reindexes_the_archive_and_answers_queries()
    {
        var zip = await TrainedPackage.PathAsync();
        var version = Path.GetFileNameWithoutExtension(zip);
        await using (var file = File.OpenRead(zip)) await Host.Blobs.WriteAsync(Containers.Encoders, Path.GetFileName(zip), file);
        await using (var file = File.OpenRead(zip)) await Host.Blobs.WriteAsync(Containers.Encoders, "renamed.zip", file);
        var (renamed, why) = await Host.PostJsonAsync("/api/reindex", new { encoder = "renamed" });
        Assert.Equal(HttpStatusCode.BadRequest, renamed);
        Assert.Contains(version, why.GetProperty("error").GetString());

        var progress = await ReindexAsync(new { encoder = version });
        // The package is S2-only (README's training): S1 patches stay where they are, without codes of it.
        Assert.Equal(20, progress.GetProperty("indexed").GetInt32());
        Assert.Equal(20, progress.GetProperty("skipped").GetInt32());
        Assert.Equal(0, progress.GetProperty("quarantined").GetInt32());

        var id = await AnyPatchIdAsync("S2");
        foreach (var path in new[] { "durable", "in-process" })
        {
            var (status, answer) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, path });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(version, answer.GetProperty("encoder").GetString());
            Assert.Equal(5, answer.GetProperty("results").GetArrayLength());
            Assert.All(answer.GetProperty("results").EnumerateArray(), r => Assert.Equal("S2", r.GetProperty("modality").GetString()));
        }
        var (refused, reason) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, target = "S1" });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("has no S1 model", reason.GetProperty("error").GetString());

        var (_, listed) = await Host.GetJsonAsync("/api/encoders");
        var package = listed.GetProperty("encoders").EnumerateArray().Single(e => e.GetProperty("version").GetString() == version);
        Assert.True(package.GetProperty("active").GetBoolean());
        Assert.Equal($"{version}.zip", package.GetProperty("blob").GetString());
        Assert.Equal(64, package.GetProperty("bits").GetInt32());
        Assert.Equal(["S2"], package.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()));
        Assert.False(package.GetProperty("sharedCodeSpace").GetBoolean());
        Assert.Contains("cannot be loaded", listed.GetProperty("encoders").EnumerateArray()
            .Single(e => e.GetProperty("version").GetString() == "renamed").GetProperty("error").GetString());
        var (_, health) = await Host.GetJsonAsync("/api/health/details");
        Assert.Equal(version, health.GetProperty("encoder").GetString());
        Assert.Equal(20, health.GetProperty("codes").GetInt32());
    }

    private async Task<JsonElement> ReindexAsync(object body)
    {
        var (status, started) = await Host.PostJsonAsync("/api/reindex", body);
        Assert.True(status == HttpStatusCode.Accepted, started.ToString());
        var statusUrl = started.GetProperty("statusUrl").GetString()!;
        JsonElement progress = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            (_, progress) = await Host.GetJsonAsync(new Uri(statusUrl).PathAndQuery);
            if (progress.GetProperty("status").GetString() is "Completed" or "Failed") break;
        }
        Assert.Equal("Completed", progress.GetProperty("status").GetString());
        Assert.True(progress.GetProperty("progress").GetProperty("activated").GetBoolean());
        return progress.GetProperty("progress");
    }

    [Theory]
    [InlineData("{\"patchId\": \"nope\", \"k\": 5}", HttpStatusCode.NotFound)]
    [InlineData("{\"patchId\": \"x\", \"k\": 0}", HttpStatusCode.BadRequest)]
    [InlineData("{\"patchId\": \"x\", \"k\": 1001}", HttpStatusCode.BadRequest)]
    [InlineData("{\"patchId\": \"x\", \"target\": \"S3\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"k\": 5}", HttpStatusCode.BadRequest)]
    [InlineData("{\"patchId\": ", HttpStatusCode.BadRequest)]
    [InlineData("[1,2]", HttpStatusCode.BadRequest)]
    public async Task Bad_queries_get_a_json_reason(string body, HttpStatusCode expected)
    {
        var response = await Host.Http.PostAsync("/api/query", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task An_uploaded_patch_queries_like_its_archived_copy()
    {
        var id = await AnyPatchIdAsync();
        var blob = $"bigearthnet/S2/{id}.zip";
        await using var stream = (await Host.Blobs.OpenReadAsync(Containers.Patches, blob))!;
        using var form = new MultipartFormDataContent
        {
            { new StreamContent(stream) { Headers = { ContentType = new MediaTypeHeaderValue("application/zip") } }, "patch", $"{id}.zip" },
            { new StringContent("7"), "k" },
        };
        var upload = await Host.Http.PostAsync("/api/query", form);
        Assert.True(upload.StatusCode == HttpStatusCode.OK, await upload.Content.ReadAsStringAsync());
        var byUpload = Results(JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement);
        var (_, byId) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 7 });
        Assert.Equal(Results(byId), byUpload);
    }

    [Fact]
    public async Task A_corrupt_blob_is_quarantined_with_its_reason_and_a_redelivered_blob_stays_one_record()
    {
        await Host.Blobs.WriteAsync(Containers.Patches, "bigearthnet/S2/broken.zip", new MemoryStream("not a zip"u8.ToArray()));
        var id = await AnyPatchIdAsync();
        var (_, before) = await Host.GetJsonAsync("/api/health/details");
        var outcome = await Host.Service<Functions.Ingest.IngestPatch>().Run(Stream.Null, $"bigearthnet/S2/{id}.zip", CancellationToken.None);
        Assert.Equal(IngestStatus.Indexed, outcome.Status);
        await Host.PollPatchesAsync();

        Assert.Null(await Host.Blobs.OpenReadAsync(Containers.Patches, "bigearthnet/S2/broken.zip"));
        await using var kept = await Host.Blobs.OpenReadAsync(Containers.Quarantine, "bigearthnet/S2/broken.zip");
        Assert.NotNull(kept);
        await using var reason = (await Host.Blobs.OpenReadAsync(Containers.Quarantine, Quarantine.ReasonBlobName("bigearthnet/S2/broken.zip")))!;
        var why = JsonDocument.Parse(reason).RootElement.GetProperty("reason").GetString();
        Assert.Contains("broken.zip", why);
        var (_, after) = await Host.GetJsonAsync("/api/health/details");
        Assert.Equal(before.GetProperty("codes").GetInt32(), after.GetProperty("codes").GetInt32());
    }

    [Fact]
    public async Task Patch_metadata_is_served_and_unknown_ids_are_404()
    {
        var id = await AnyPatchIdAsync("S1");
        var (status, body) = await Host.GetJsonAsync($"/api/patches/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("S1", body.GetProperty("modality").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("pairedId").GetString()));
        var labels43 = body.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!).ToList();
        var labels19 = body.GetProperty("labels19").EnumerateArray().Select(l => l.GetString()!).ToList();
        Assert.Equal(LandCoverClasses.Map43To19(labels43), labels19); // synthetic labels are BigEarthNet's 43 classes
        var (missing, error) = await Host.GetJsonAsync("/api/patches/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.True(error.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Reindex_rehashes_every_patch_then_switches_queries_to_the_new_encoder()
    {
        var id = await AnyPatchIdAsync();
        var (_, old) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5 });
        var (status, started) = await Host.PostJsonAsync("/api/reindex", new { bits = 128, seed = 3, batchSize = 7 });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var statusUrl = started.GetProperty("statusUrl").GetString()!;
        var encoder = started.GetProperty("encoder").GetString()!;

        JsonElement progress = default;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            (_, progress) = await Host.GetJsonAsync(new Uri(statusUrl).PathAndQuery);
            if (progress.GetProperty("status").GetString() is "Completed" or "Failed") break;
        }
        Assert.Equal("Completed", progress.GetProperty("status").GetString());
        Assert.Equal(40, progress.GetProperty("progress").GetProperty("indexed").GetInt32());
        Assert.True(progress.GetProperty("progress").GetProperty("activated").GetBoolean());

        var (_, now) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, path = "durable" });
        Assert.NotEqual(old.GetProperty("encoder").GetString(), encoder);
        Assert.Equal(encoder, now.GetProperty("encoder").GetString());
        Assert.Equal(5, now.GetProperty("results").GetArrayLength());
        var (badStatus, _) = await Host.PostJsonAsync("/api/reindex", new { bits = 12 });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
    }

    [Fact]
    public async Task A_second_reindex_while_one_runs_is_409_with_the_running_ones_status_url()
    {
        var (status, started) = await Host.PostJsonAsync("/api/reindex", new { bits = 128, seed = 21, batchSize = 1, pageSize = 2 });
        Assert.Equal(HttpStatusCode.Accepted, status);
        var statusUrl = started.GetProperty("statusUrl").GetString()!;

        var (second, conflict) = await Host.PostJsonAsync("/api/reindex", new { bits = 64, seed = 22 });

        Assert.Equal(HttpStatusCode.Conflict, second);
        Assert.Equal(statusUrl, conflict.GetProperty("statusUrl").GetString());
        Assert.Contains("still running", conflict.GetProperty("error").GetString());
        Assert.Equal([started.GetProperty("encoder").GetString()!], (await Host.Store.GetEncoderStateAsync()).Pending); // none for the refused one
    }

    [Fact]
    public async Task A_classical_hasher_fitted_on_the_archive_deploys_by_reindex_and_answers_queries()
    {
        var patches = await Host.ArchivedPatchesAsync("bigearthnet/");
        var hasher = KernelLshHasher.Fit(patches, 32, 5, anchorCount: 24, subsetSize: 6,
            descriptor: PatchDescriptor.Fit("spectral+lbp", patches, seed: 5));
        Assert.Equal("Completed", await Host.DeployAndReindexAsync(hasher, TimeSpan.FromSeconds(60)));

        var id = await AnyPatchIdAsync();
        var (_, answer) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, target = "S2" });
        Assert.Equal(hasher.Version, answer.GetProperty("encoder").GetString());
        Assert.StartsWith("kulsh-32-", hasher.Version);
        Assert.Equal(5, Results(answer).Count);
    }

    private static List<(string Id, int Distance)> Results(JsonElement answer) =>
        answer.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("patchId").GetString()!, r.GetProperty("distance").GetInt32())).ToList();
}

public sealed class EmbeddedArchiveFlowTests() : ArchiveFlowContract("embedded");

[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class AzuriteCosmosArchiveFlowTests() : ArchiveFlowContract("azurite")
{
    // A database and a task hub of their own per host, so earlier hosts and runs against the same servers cannot leak in.
    protected override IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Cosmos:Database"] = $"flow{Guid.NewGuid():N}"[..16],
        ["Durable:TaskHub"] = $"flow{Guid.NewGuid():N}"[..16],
    };
}
