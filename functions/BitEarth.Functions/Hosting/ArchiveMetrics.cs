using System.Diagnostics.Metrics;
using BitEarth.Core.Ingest;
using BitEarth.Core.Query;
using BitEarth.Core.Reindex;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// The service's own measurements on the "BitEarth" meter (System.Diagnostics.Metrics, no exporter types): query
/// latency and shards visited, queries per fan-out orchestration, ingest outcomes, re-index progress, refused
/// requests. The worker exports them to Application Insights (<see cref="TelemetryRegistration"/>); tests read them
/// with a MeterListener.
/// </summary>
public sealed class ArchiveMetrics
{
    public const string MeterName = "BitEarth";

    private readonly Histogram<double> _queryDuration;
    private readonly Histogram<int> _shardsVisited;
    private readonly Histogram<int> _fanOutQueries;
    private readonly Counter<long> _ingested;
    private readonly Counter<long> _reindexed;
    private readonly Counter<long> _activations;
    private readonly Counter<long> _refused;

    public ArchiveMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _queryDuration = meter.CreateHistogram<double>("bitearth.query.duration", "ms", "Time to answer a query, from request to shaped answer");
        _shardsVisited = meter.CreateHistogram<int>("bitearth.query.shards_visited", "{shard}", "Shards a query searched");
        _fanOutQueries = meter.CreateHistogram<int>("bitearth.query.fanout_queries", "{query}", "Queries one QueryFanOut orchestration carried");
        _ingested = meter.CreateCounter<long>("bitearth.ingest.blobs", "{blob}", "Ingested blobs by outcome: indexed, quarantined, missing, retried");
        _reindexed = meter.CreateCounter<long>("bitearth.reindex.blobs", "{blob}", "Blobs a re-index hashed, by outcome: indexed, quarantined, missing");
        _activations = meter.CreateCounter<long>("bitearth.reindex.activations", "{encoder}", "Encoders a re-index switched queries to");
        _refused = meter.CreateCounter<long>("bitearth.http.refused", "{request}", "Requests answered 4xx/503, by function and status");
    }

    public void QueryAnswered(QueryAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var path = new KeyValuePair<string, object?>("path", answer.Path);
        _queryDuration.Record(answer.ElapsedMs, path);
        _shardsVisited.Record(answer.ShardsVisited, path);
    }

    public void FanOutStarted(int queries) => _fanOutQueries.Record(queries);

    public void Ingested(IngestStatus status) => _ingested.Add(1, new KeyValuePair<string, object?>("outcome", Outcome(status)));

    /// <summary>The trigger failed and the runtime will deliver the blob again.</summary>
    public void IngestRetried() => _ingested.Add(1, new KeyValuePair<string, object?>("outcome", "retried"));

    public void Reindexed(ReindexBatchResult batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _reindexed.Add(batch.Indexed, new KeyValuePair<string, object?>("outcome", "indexed"));
        _reindexed.Add(batch.Quarantined, new KeyValuePair<string, object?>("outcome", "quarantined"));
        _reindexed.Add(batch.Missing, new KeyValuePair<string, object?>("outcome", "missing"));
    }

    public void Activated(string encoder) => _activations.Add(1, new KeyValuePair<string, object?>("encoder", encoder));

    public void Refused(string function, int status) =>
        _refused.Add(1, new KeyValuePair<string, object?>("function", function), new KeyValuePair<string, object?>("status", status));

    private static string Outcome(IngestStatus status) => status switch
    {
        IngestStatus.Indexed => "indexed",
        IngestStatus.Quarantined => "quarantined",
        _ => "missing",
    };
}
