namespace BitEarth.Local.Ingest;

/// <summary>Runs <see cref="PatchesWatcher"/> every second after the initial ingest.</summary>
public sealed class PatchesWatcherService(PatchesWatcher watcher, ILogger<PatchesWatcherService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(PatchesWatcher.Interval, stoppingToken).ContinueWith(_ => { });
            if (stoppingToken.IsCancellationRequested) break;
            foreach (var o in await watcher.PollAsync(stoppingToken))
                logger.LogInformation("{Status} {Blob} {Detail}", o.Status, o.Blob, o.PatchId ?? o.Reason);
        }
    }
}
