using Xunit;
using System.Diagnostics;
using System.Text.Json;

namespace BitEarth.Infra.Tests;

/// <summary>
/// `dotnet publish` of the Function App produces the deployable package; the functions.metadata in it must name
/// exactly the functions, triggers and routes the templates wire (Event Grid target, HTTP routes, timer schedules).
/// </summary>
public sealed class PublishedFunctionsTests
{
    private static readonly Lazy<JsonElement[]> Published = new(Publish);

    [Fact]
    public void Published_package_has_exactly_the_functions_the_templates_wire()
    {
        var names = Published.Value.Select(f => f.GetProperty("name").GetString()).Order().ToList();
        Assert.Equal(DeployedFunctions.All.Order(), names);
    }

    [Fact]
    public void Published_http_functions_have_the_wired_methods_and_routes()
    {
        foreach (var (name, route) in DeployedFunctions.HttpRoutes)
        {
            var trigger = Trigger(name);
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(route.Route, trigger.GetProperty("route").GetString());
            Assert.Equal([route.Method.ToLowerInvariant()], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        }
    }

    [Fact]
    public void Published_timer_functions_have_the_wired_schedules()
    {
        foreach (var (name, schedule) in DeployedFunctions.TimerSchedules)
        {
            var trigger = Trigger(name);
            Assert.Equal("timerTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal(schedule, trigger.GetProperty("schedule").GetString());
        }
    }

    [Fact]
    public void Published_ingest_function_is_the_event_grid_blob_trigger_on_patches()
    {
        var trigger = Trigger(DeployedFunctions.IngestPatch);
        Assert.Equal("blobTrigger", trigger.GetProperty("type").GetString());
        Assert.Equal("EventGrid", trigger.GetProperty("source").GetString());
        Assert.StartsWith("patches/", trigger.GetProperty("path").GetString());
    }

    private static JsonElement Trigger(string name) =>
        Published.Value.Single(f => f.GetProperty("name").GetString() == name).GetProperty("bindings").EnumerateArray()
            .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    private static JsonElement[] Publish()
    {
        var output = Directory.CreateTempSubdirectory("bitearth-publish-").FullName;
        var project = System.IO.Path.Combine(RepositoryRoot.Path, "functions", "BitEarth.Functions");
        using var process = Process.Start(new ProcessStartInfo("dotnet", ["publish", project, "-c", "Release", "-o", output, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"dotnet publish failed: {log.Result}{errors.Result}");
        var metadata = System.IO.Path.Combine(output, "functions.metadata");
        var functions = JsonDocument.Parse(File.ReadAllText(metadata)).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        Directory.Delete(output, recursive: true);
        return functions;
    }
}
