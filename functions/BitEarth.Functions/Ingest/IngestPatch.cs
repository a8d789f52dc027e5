using BitEarth.Core.Ingest;
using BitEarth.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Ingest;

/// <summary>
/// Event Grid blob trigger on the patches container: hash the new patch and store its code. The content stream is
/// bound lazily and not read here; the ingestor reads the blob through the blob store so the local host, re-index and
/// this trigger share one path (size cap, quarantine, idempotent upserts).
/// </summary>
public sealed partial class IngestPatch(PatchIngestor ingestor, ArchiveMetrics metrics, ILogger<IngestPatch> logger)
{
    [Function(nameof(IngestPatch))]
    public async Task<IngestOutcome> Run(
        [BlobTrigger("patches/{name}", Source = BlobTriggerSource.EventGrid, Connection = "PatchStorage")] Stream content,
        string name,
        CancellationToken ct)
    {
        await content.DisposeAsync();
        IngestOutcome outcome;
        try
        {
            outcome = await ingestor.IngestAsync(name, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The store or the blob service failed, not the blob: the runtime delivers it again.
            metrics.IngestRetried();
            LogRetried(logger, e, name);
            throw;
        }
        metrics.Ingested(outcome.Status);
        if (outcome.Status == IngestStatus.Quarantined)
            LogQuarantined(logger, name, outcome.Reason);
        else
            LogOutcome(logger, outcome.Status, name, outcome.PatchId);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined {Blob}: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string blob, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest of {Blob} failed; it will be delivered again")]
    private static partial void LogRetried(ILogger logger, Exception error, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Status} {Blob} as {PatchId}")]
    private static partial void LogOutcome(ILogger logger, IngestStatus status, string blob, string? patchId);
}
