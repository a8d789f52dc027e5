using BitEarth.Core.Reindex;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Reindex;

/// <summary>Activity: re-hashes one batch of patch blobs with the new encoder. Idempotent (records have deterministic ids).</summary>
public sealed class ReindexBatch(ArchiveReindexer reindexer, IHostApplicationLifetime lifetime) : TaskActivity<ReindexBatchInput, ReindexBatchResult>
{
    [Function(nameof(ReindexBatch))]
    public Task<ReindexBatchResult> Run([ActivityTrigger] ReindexBatchInput input, CancellationToken ct) =>
        reindexer.ReindexBatchAsync(input.Encoder, input.Blobs, ct);

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<ReindexBatchResult> RunAsync(TaskActivityContext context, ReindexBatchInput input) =>
        Run(input, lifetime.ApplicationStopping);
}
