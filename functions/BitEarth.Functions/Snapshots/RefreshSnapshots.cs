using BitEarth.Core.Residency;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Snapshots;

/// <summary>
/// Rewrites the shard snapshots of the active encoder that changed since their last write, so an instance that
/// starts loads each shard from one blob plus a short change feed instead of item by item.
/// </summary>
public sealed partial class RefreshSnapshots(CodeSnapshotWriter snapshots, ILogger<RefreshSnapshots> log)
{
    /// <summary>NCRONTAB (seconds first): every ten minutes.</summary>
    public const string Schedule = "0 */10 * * * *";

    /// <summary>The same period, for hosts that run the function on a plain timer.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(10);

    [Function(nameof(RefreshSnapshots))]
    public async Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken ct)
    {
        if (await snapshots.RefreshActiveAsync(ct) is not { } refresh)
        {
            LogNothingActive(log);
            return;
        }
        LogRefreshed(log, refresh.Encoder, refresh.ShardsWritten, refresh.ShardsUnchanged, refresh.Records);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No encoder is active yet: no snapshots to refresh")]
    private static partial void LogNothingActive(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Snapshots of {Encoder}: {Written} shards written, {Unchanged} unchanged, {Records} codes")]
    private static partial void LogRefreshed(ILogger logger, string encoder, int written, int unchanged, long records);
}
