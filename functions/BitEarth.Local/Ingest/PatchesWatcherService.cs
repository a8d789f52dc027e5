using BitEarth.Core.Ingest;

namespace BitEarth.Local.Ingest;

/// <summary>Runs <see cref="PatchesWatcher"/> every second after the initial ingest.</summary>
public sealed partial class PatchesWatcherService(PatchesWatcher watcher, ILogger<PatchesWatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PatchesWatcher.Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                foreach (var o in await watcher.PollAsync(stoppingToken))
                    LogOutcome(logger, o.Status, o.Blob, o.PatchId ?? o.Reason);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the pass in flight is abandoned; its blobs stay unhandled and are ingested on the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Status} {Blob} {Detail}")]
    private static partial void LogOutcome(ILogger logger, IngestStatus status, string blob, string? detail);
}
