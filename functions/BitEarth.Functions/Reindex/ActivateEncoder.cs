using BitEarth.Core.Reindex;
using BitEarth.Core.Residency;
using BitEarth.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Reindex;

/// <summary>
/// Activity: writes the new encoder's shard snapshots, then makes it the one queries use, so every instance's first
/// query on it loads shards from snapshots instead of item by item. Both steps are idempotent. Returns the encoder.
/// </summary>
public sealed class ActivateEncoder(ArchiveReindexer reindexer, CodeSnapshotWriter snapshots, ArchiveMetrics metrics,
    IHostApplicationLifetime lifetime)
    : TaskActivity<string, string>
{
    [Function(nameof(ActivateEncoder))]
    public async Task<string> Run([ActivityTrigger] string encoder, CancellationToken ct)
    {
        await snapshots.RefreshAsync(encoder, ct);
        await reindexer.ActivateAsync(encoder, ct);
        metrics.Activated(encoder);
        return encoder;
    }

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Run(input, lifetime.ApplicationStopping);
}
