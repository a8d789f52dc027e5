using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;

namespace BitEarth.Functions.Tests.Hosting;

/// <summary>
/// The BitEarth meter of one host (its IMeterFactory, so other hosts in the same test run do not count): queries,
/// ingest outcomes, re-index progress and refusals are measured where they happen.
/// </summary>
public sealed class ArchiveMetricsTests : IAsyncLifetime, IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measured = new();
    private readonly MeterListener _listener = new();
    private LocalHostRunner _host = null!;

    public async Task InitializeAsync()
    {
        _host = await LocalHostRunner.StartAsync("embedded", synthetic: 4);
        var scope = _host.Service<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ArchiveMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _measured.Enqueue((instrument.Name, value, new Dictionary<string, object?>(tags.ToArray())));

    private List<(double Value, Dictionary<string, object?> Tags)> Measured(string instrument) =>
        _measured.Where(m => m.Instrument == instrument).Select(m => (m.Value, m.Tags)).ToList();

    [Fact]
    public async Task Queries_ingest_reindex_and_refusals_are_measured()
    {
        string? id = null;
        await foreach (var name in _host.Blobs.ListAsync(Containers.Patches, "bigearthnet/S2/")) { id = Path.GetFileNameWithoutExtension(name); break; }
        var (status, _) = await _host.PostJsonAsync("/api/query", new { patchId = id, k = 3, path = "in-process" });
        Assert.Equal(HttpStatusCode.OK, status);
        var durations = Measured("bitearth.query.duration");
        Assert.Single(durations);
        Assert.True(durations[0].Value > 0);
        Assert.Equal("in-process", durations[0].Tags["path"]);
        Assert.True(Assert.Single(Measured("bitearth.query.shards_visited")).Value >= 1);

        await _host.Blobs.WriteAsync(Containers.Patches, "bigearthnet/S2/broken.zip", new MemoryStream("not a zip"u8.ToArray()));
        await _host.PollPatchesAsync();
        Assert.Contains(Measured("bitearth.ingest.blobs"), m => (string?)m.Tags["outcome"] == "quarantined" && m.Value == 1);
        await _host.Service<Functions.Ingest.IngestPatch>().Run(Stream.Null, $"bigearthnet/S2/{id}.zip", CancellationToken.None);
        Assert.Contains(Measured("bitearth.ingest.blobs"), m => (string?)m.Tags["outcome"] == "indexed" && m.Value == 1);

        var (badStatus, _) = await _host.PostJsonAsync("/api/query", new { patchId = id, k = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Contains(Measured("bitearth.http.refused"), m => (string?)m.Tags["function"] == "Query" && (int?)m.Tags["status"] == 400);

        var (accepted, started) = await _host.PostJsonAsync("/api/reindex", new { bits = 64, seed = 5, batchSize = 3 });
        Assert.Equal(HttpStatusCode.Accepted, accepted);
        var statusUrl = new Uri(started.GetProperty("statusUrl").GetString()!).PathAndQuery;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline && Measured("bitearth.reindex.activations").Count == 0;)
            await Task.Delay(100);
        Assert.Equal(8, Measured("bitearth.reindex.blobs").Where(m => (string?)m.Tags["outcome"] == "indexed").Sum(m => m.Value));
        Assert.Single(Measured("bitearth.reindex.activations"));
        var (_, progress) = await _host.GetJsonAsync(statusUrl);
        Assert.Equal(8, progress.GetProperty("progress").GetProperty("indexed").GetInt32());
    }

    [Fact]
    public async Task Concurrent_durable_queries_share_fan_outs_and_each_gets_its_in_process_answer()
    {
        var ids = new List<string>();
        await foreach (var name in _host.Blobs.ListAsync(Containers.Patches, "bigearthnet/")) ids.Add(Path.GetFileNameWithoutExtension(name));
        var queries = Enumerable.Range(0, 16).Select(i => new { patchId = ids[i % ids.Count], k = 2 + i % 5 }).ToList();

        var durable = await Task.WhenAll(queries.Select(q => _host.PostJsonAsync("/api/query", new { q.patchId, q.k, path = "durable" })));

        Assert.All(durable, d => Assert.True(d.Status == HttpStatusCode.OK, d.Body.GetRawText()));
        var fanOuts = Measured("bitearth.query.fanout_queries").ConvertAll(m => (int)m.Value);
        Assert.Equal(queries.Count, fanOuts.Sum());
        Assert.True(fanOuts.Max() > 1, $"no orchestration carried two queries: {string.Join(',', fanOuts)}");
        for (int i = 0; i < queries.Count; i++)
        {
            var q = queries[i];
            var (status, local) = await _host.PostJsonAsync("/api/query", new { q.patchId, q.k, path = "in-process" });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("durable-fan-out", durable[i].Body.GetProperty("path").GetString());
            Assert.Equal(local.GetProperty("results").GetRawText(), durable[i].Body.GetProperty("results").GetRawText());
        }
    }
}
