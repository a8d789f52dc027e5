using BitEarth.Core.Ingest;
using BitEarth.Core.Stores;
using BitEarth.Functions.Ingest;

namespace BitEarth.Local.Ingest;

/// <summary>
/// Stands in for the Event Grid blob trigger: lists the patches container, and calls the same IngestPatch function for
/// every blob it has not handled in this process. The first pass re-ingests everything (upserts are idempotent).
/// </summary>
public sealed partial class PatchesWatcher(IBlobStore blobs, IngestPatch ingest, ILogger<PatchesWatcher> logger)
{
    private readonly HashSet<string> _handled = new(StringComparer.Ordinal);

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>One pass: ingests every new blob; returns how many were indexed, quarantined or missing.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> PollAsync(CancellationToken ct)
    {
        var fresh = new List<string>();
        await foreach (var name in blobs.ListAsync(Containers.Patches, null, ct))
            if (!_handled.Contains(name)) fresh.Add(name);

        var outcomes = new IngestOutcome[fresh.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, fresh.Count), new ParallelOptions { CancellationToken = ct }, async (i, token) =>
        {
            try { outcomes[i] = await ingest.Run(Stream.Null, fresh[i], token); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store outage must not kill the watcher; the blob stays unhandled and is retried next pass.
                LogIngestFailed(logger, e, fresh[i]);
                outcomes[i] = new IngestOutcome(fresh[i], IngestStatus.Missing, Reason: e.Message);
            }
        });
        foreach (var o in outcomes)
            if (o.Reason is null || o.Status != IngestStatus.Missing) _handled.Add(o.Blob);
        return outcomes;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest of {Blob} failed; will retry")]
    private static partial void LogIngestFailed(ILogger logger, Exception error, string blob);
}
