using BitEarth.Core.Reindex;
using BitEarth.Functions.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Reindex;

/// <summary>Activity: re-hashes one batch of patch blobs with the new encoder. Idempotent (records have deterministic ids).</summary>
public sealed class ReindexBatch(ArchiveReindexer reindexer, ArchiveMetrics metrics, IHostApplicationLifetime lifetime) : TaskActivity<ReindexBatchInput, ReindexBatchResult>
{
    [Function(nameof(ReindexBatch))]
    public async Task<ReindexBatchResult> Run([ActivityTrigger] ReindexBatchInput input, CancellationToken ct)
    {
        var result = await reindexer.ReindexBatchAsync(input.Encoder, input.Blobs, ct);
        metrics.Reindexed(result);
        return result;
    }

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<ReindexBatchResult> RunAsync(TaskActivityContext context, ReindexBatchInput input) =>
        Run(input, lifetime.ApplicationStopping);
}
