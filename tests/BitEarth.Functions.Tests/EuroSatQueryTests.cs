using System.Net;

namespace BitEarth.Functions.Tests;

/// <summary>
/// The real EuroSAT samples in ../shared/data through the whole service: a query returns same-class patches well above
/// chance, and the durable fan-out and the in-process path agree on every query.
/// </summary>
public sealed class EuroSatQueryTests : IAsyncLifetime
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
}
