using BitEarth.Core.Reindex;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Reindex;

/// <summary>Activity: one page of patch blob names after a cursor. Idempotent, as durable delivery is at-least-once.</summary>
public sealed class ListPatchBlobs(ArchiveReindexer reindexer, IHostApplicationLifetime lifetime) : TaskActivity<BlobPageRequest, BlobPage>
{
    [Function(nameof(ListPatchBlobs))]
    public Task<BlobPage> Run([ActivityTrigger] BlobPageRequest input, CancellationToken ct) =>
        reindexer.ListPatchBlobsAsync(input.After, input.Size, ct);

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<BlobPage> RunAsync(TaskActivityContext context, BlobPageRequest input) =>
        Run(input, lifetime.ApplicationStopping);
}
