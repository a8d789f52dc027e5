using BitEarth.Functions.Snapshots;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Local.Timers;

/// <summary>
/// Stands in for the Functions host's timer trigger: calls the same RefreshSnapshots function at once (after the
/// initial ingest, so the next start loads from snapshots) and then every <see cref="RefreshSnapshots.Period"/>.
/// </summary>
public sealed partial class SnapshotTimerService(IServiceProvider services, ILogger<SnapshotTimerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshSnapshots.Period);
        do
        {
            try
            {
                await services.GetRequiredService<RefreshSnapshots>().Run(new TimerInfo(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store outage must not stop the timer; the next tick tries again, as the Functions host would.
                LogRefreshFailed(logger, e);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken)); // cancelled at shutdown, which ends the service
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "RefreshSnapshots failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception error);
}
