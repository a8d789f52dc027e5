using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// The real EuroSAT samples in ../shared/data through the whole service: a query returns same-class patches well above
/// chance, and the durable fan-out and the in-process path agree on every query.
/// </summary>
public sealed class EuroSatQueryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private LocalHostRunner _host = null!;

    public async Task InitializeAsync() =>
        _host = await LocalHostRunner.StartAsync("embedded", archive: Path.Combine(RepoPaths.SharedData, "eurosat-ms"));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Queries_find_their_own_class_above_chance_on_both_paths()
    {
        var classes = Directory.GetDirectories(Path.Combine(RepoPaths.SharedData, "eurosat-ms")).Select(Path.GetFileName).Order().ToList();
        double precision = 0;
        foreach (var cls in classes)
        {
            var id = $"{cls}_1";
            var (s1, durable) = await _host.PostJsonAsync("/api/query", new { patchId = id, k = 10, path = "durable" });
            var (s2, local) = await _host.PostJsonAsync("/api/query", new { patchId = id, k = 10, path = "in-process" });
            Assert.Equal(HttpStatusCode.OK, s1);
            Assert.Equal(HttpStatusCode.OK, s2);
            var ids = durable.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("patchId").GetString()).ToList();
            Assert.Equal(ids, local.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("patchId").GetString()));
            precision += durable.GetProperty("results").EnumerateArray()
                .Count(r => r.GetProperty("labels")[0].GetString() == cls) / 10.0;
        }
        precision /= classes.Count;
        // Chance: 11 of the 119 other patches share the query's class.
        Assert.True(precision > 2 * 11.0 / 119, $"precision@10 {precision:F3} is not above twice chance");
    }

    /// <summary>Every patch as a query by id: both paths give the same ranked answer; the latencies go to the test output.</summary>
    [Fact]
    public async Task Every_patch_id_query_answers_alike_on_both_paths()
    {
        var ids = Directory.GetDirectories(Path.Combine(RepoPaths.SharedData, "eurosat-ms"))
            .SelectMany(d => Directory.GetFiles(d, "*.tif")).Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();
        await _host.PostJsonAsync("/api/query", new { patchId = ids[0], k = 10, path = "durable" }); // warm: index load, first orchestration
        var times = new Dictionary<string, List<double>> { ["durable"] = [], ["in-process"] = [] };
        foreach (var id in ids)
        {
            var answers = new List<string>();
            foreach (var path in times.Keys)
            {
                var clock = Stopwatch.StartNew();
                var (status, body) = await _host.PostJsonAsync("/api/query", new { patchId = id, k = 10, path });
                times[path].Add(clock.Elapsed.TotalMilliseconds);
                Assert.Equal(HttpStatusCode.OK, status);
                var results = body.GetProperty("results");
                Assert.Equal(10, results.GetArrayLength());
                Assert.DoesNotContain(results.EnumerateArray(), r => r.GetProperty("patchId").GetString() == id);
                answers.Add(JsonSerializer.Serialize(results));
            }
            Assert.Equal(answers[0], answers[1]);
        }
        foreach (var (path, ms) in times)
        {
            ms.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {ms.Count} patchId queries, median {ms[ms.Count / 2]:F1} ms, p90 {ms[ms.Count * 9 / 10]:F1} ms, mean {ms.Average():F1} ms"));
        }
    }
}
