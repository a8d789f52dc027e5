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
    [InlineData("Query", "httpTrigger", "query", "post")]
    [InlineData("GetPatch", "httpTrigger", "patches/{id}", "get")]
    [InlineData("Health", "httpTrigger", "health", "get")]
    [InlineData("ListEncoders", "httpTrigger", "encoders", "get")]
    [InlineData("Reindex", "httpTrigger", "reindex", "post")]
    [InlineData("ReindexStatus", "httpTrigger", "reindex/{instanceId}", "get")]
    [InlineData("QueryFanOut", "orchestrationTrigger", null, null)]
    [InlineData("ReindexArchive", "orchestrationTrigger", null, null)]
    [InlineData("SearchShardGroup", "activityTrigger", null, null)]
    [InlineData("ListPatchBlobs", "activityTrigger", null, null)]
    [InlineData("ReindexBatch", "activityTrigger", null, null)]
    [InlineData("ActivateEncoder", "activityTrigger", null, null)]
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
        Assert.Equal(["ActivateEncoder", "GetPatch", "Health", "IngestPatch", "ListEncoders", "ListPatchBlobs", "Query", "QueryFanOut",
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
