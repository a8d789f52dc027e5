using BitEarth.Core.Ingest;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Ingest;

/// <summary>
/// Event Grid blob trigger on the patches container: hash the new patch and store its code. The content stream is
/// bound lazily and not read here; the ingestor reads the blob through the blob store so the local host, re-index and
/// this trigger share one path (size cap, quarantine, idempotent upserts).
/// </summary>
public sealed partial class IngestPatch(PatchIngestor ingestor, ILogger<IngestPatch> logger)
{
    [Function(nameof(IngestPatch))]
    public async Task<IngestOutcome> Run(
        [BlobTrigger("patches/{name}", Source = BlobTriggerSource.EventGrid, Connection = "PatchStorage")] Stream content,
        string name,
        CancellationToken ct)
    {
        await content.DisposeAsync();
        var outcome = await ingestor.IngestAsync(name, ct);
        if (outcome.Status == IngestStatus.Quarantined)
            LogQuarantined(logger, name, outcome.Reason);
        else
            LogOutcome(logger, outcome.Status, name, outcome.PatchId);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Quarantined {Blob}: {Reason}")]
    private static partial void LogQuarantined(ILogger logger, string blob, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Status} {Blob} as {PatchId}")]
    private static partial void LogOutcome(ILogger logger, IngestStatus status, string blob, string? patchId);
}
