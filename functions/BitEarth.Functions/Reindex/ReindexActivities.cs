using BitEarth.Core.Reindex;
using BitEarth.Core.Residency;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Reindex;

/// <summary>The re-index activities; each is idempotent because durable delivery is at-least-once.</summary>
public sealed class ListPatchBlobs(ArchiveReindexer reindexer)
{
    [Function(nameof(ListPatchBlobs))]
    public Task<BlobPage> Run([ActivityTrigger] BlobPageRequest input, CancellationToken ct) =>
        reindexer.ListPatchBlobsAsync(input.After, input.Size, ct);
}

public sealed class ReindexBatch(ArchiveReindexer reindexer)
{
    [Function(nameof(ReindexBatch))]
    public Task<ReindexBatchResult> Run([ActivityTrigger] ReindexBatchInput input, CancellationToken ct) =>
        reindexer.ReindexBatchAsync(input.Encoder, input.Blobs, ct);
}

/// <summary>
/// Writes the new encoder's shard snapshots, then makes it the one queries use: every instance's first query on it
/// loads shards from snapshots instead of item by item. Both steps are idempotent.
/// </summary>
public sealed class ActivateEncoder(ArchiveReindexer reindexer, CodeSnapshotWriter snapshots)
{
    [Function(nameof(ActivateEncoder))]
    public async Task Run([ActivityTrigger] string encoder, CancellationToken ct)
    {
        await snapshots.RefreshAsync(encoder, ct);
        await reindexer.ActivateAsync(encoder, ct);
    }
}
