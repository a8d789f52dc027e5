using System.Text.Json;

namespace BitEarth.Functions.Tests;

/// <summary>The worker SDK's generated functions.metadata is what the Functions host indexes: every trigger as designed.</summary>
public class FunctionsMetadataTests
{
    // Written by the worker SDK into the Function App's own output folder, built in the same configuration as this test.
    private static readonly string MetadataPath = Path.Combine(RepoPaths.Root, "functions", "BitEarth.Functions", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug",
        "net10.0", "functions.metadata");

    [Theory]
    [InlineData("IngestPatch", "blobTrigger", null, null)]
    [InlineData("Query", "httpTrigger", "api/query", "post")]
    [InlineData("QueryChange", "httpTrigger", "api/query/change", "post")]
    [InlineData("GetPatch", "httpTrigger", "api/patches/{id}", "get")]
    [InlineData("Health", "httpTrigger", "api/health", "get")]
    [InlineData("HealthDetails", "httpTrigger", "api/health/details", "get")]
    [InlineData("ListEncoders", "httpTrigger", "api/encoders", "get")]
    [InlineData("Reindex", "httpTrigger", "api/reindex", "post")]
    [InlineData("ReindexStatus", "httpTrigger", "api/reindex/{instanceId}", "get")]
    [InlineData("GetThumbnail", "httpTrigger", "api/patches/{id}/thumbnail.png", "get")]
    [InlineData("GetPatchStac", "httpTrigger", "api/patches/{id}/stac", "get")]
    [InlineData("OpenApi", "httpTrigger", "api/openapi.json", "get")]
    [InlineData("Explorer", "httpTrigger", "{*asset}", "get")]
    [InlineData("QueryFanOut", "orchestrationTrigger", null, null)]
    [InlineData("ReindexArchive", "orchestrationTrigger", null, null)]
    [InlineData("FitAndReindex", "orchestrationTrigger", null, null)]
    [InlineData("SearchShardGroup", "activityTrigger", null, null)]
    [InlineData("ListPatchBlobs", "activityTrigger", null, null)]
    [InlineData("ReindexBatch", "activityTrigger", null, null)]
    [InlineData("ActivateEncoder", "activityTrigger", null, null)]
    [InlineData("FitPretrainedEncoder", "activityTrigger", null, null)]
    [InlineData("RefreshSnapshots", "timerTrigger", null, null)]
    public void Function_has_its_trigger_route_and_methods(string name, string trigger, string? route, string? method)
    {
        var binding = Trigger(name);
        Assert.Equal(trigger, binding.GetProperty("type").GetString());
        if (route is not null)
        {
            Assert.Equal(route, binding.GetProperty("route").GetString());
            Assert.Equal([method], binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        }
    }

    /// <summary>Starting a re-index re-hashes the archive and switches the encoder: the master key, not a function key.</summary>
    [Theory]
    [InlineData("Reindex", "Admin")]
    [InlineData("Query", "Function")]
    [InlineData("QueryChange", "Function")]
    [InlineData("GetPatch", "Function")]
    [InlineData("ReindexStatus", "Function")]
    [InlineData("HealthDetails", "Function")]
    [InlineData("Health", "Anonymous")]
    public void Http_functions_have_their_authorization_level(string name, string level) =>
        Assert.Equal(level, Trigger(name).GetProperty("authLevel").GetString(), ignoreCase: true);

    [Fact]
    public void Snapshots_are_refreshed_every_ten_minutes() =>
        Assert.Equal(Snapshots.RefreshSnapshots.Schedule, Trigger("RefreshSnapshots").GetProperty("schedule").GetString());

    [Fact]
    public void Ingest_is_an_event_grid_blob_trigger_on_the_patches_container()
    {
        var binding = Trigger("IngestPatch");
        Assert.Equal("patches/{name}", binding.GetProperty("path").GetString());
        Assert.Equal("EventGrid", binding.GetProperty("source").GetString());
        Assert.Equal("PatchStorage", binding.GetProperty("connection").GetString());
    }

    [Fact]
    public void Metadata_lists_exactly_the_designed_functions()
    {
        var names = Functions().Select(f => f.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(["ActivateEncoder", "Explorer", "FitAndReindex", "FitPretrainedEncoder", "GetPatch", "GetPatchStac", "GetThumbnail", "Health", "HealthDetails", "IngestPatch", "ListEncoders", "ListPatchBlobs", "OpenApi", "Query", "QueryChange", "QueryFanOut",
            "RefreshSnapshots", "Reindex", "ReindexArchive", "ReindexBatch", "ReindexStatus", "SearchShardGroup"], names);
    }

    [Fact]
    public void Local_host_registers_every_durable_function_of_the_app()
    {
        var durable = Functions()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b =>
                b.GetProperty("type").GetString() is "orchestrationTrigger" or "activityTrigger"))
            .Select(f => f.GetProperty("name").GetString()!).Order();
        Assert.Equal(durable, Local.Durable.FunctionTasks.Names.Order());
    }

    private static JsonElement Trigger(string name) =>
        Functions().Single(f => f.GetProperty("name").GetString() == name)
            .GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static JsonElement.ArrayEnumerator Functions() =>
        JsonDocument.Parse(File.ReadAllText(MetadataPath)).RootElement.EnumerateArray();
}
