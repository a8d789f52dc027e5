
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Reindex;

/// <summary>
/// The steps of a re-index, each idempotent so a killed orchestration can replay any of them: mark the new encoder
/// pending, list the patch blobs page by page, re-hash a batch with the new encoder, and finally make that encoder the
/// one queries use. While it is pending, ingest writes its codes too (<see cref="EncoderCatalog.GetIngestHashersAsync"/>),
/// so a blob arriving behind the cursor is not lost. Two re-indexes may run at once: both encoders are pending, each
/// gets every new blob, each is activated (and stops being pending) when its own run ends, and the last activation
/// decides what queries use. A run that never ends leaves its encoder pending, costing one more hash per ingest,
/// until a re-index of the same encoder is run to completion.
/// </summary>
public sealed class ArchiveReindexer(IBlobStore blobs, ICodeStore store, EncoderCatalog encoders, PatchIngestor ingestor)
{
    /// <summary>
    /// Creates (or finds) the target encoder, an existing version or new LSH parameters, and marks it pending; called
    /// before the orchestration starts, so its first page is listed after the encoder became pending.
    /// </summary>
    public async Task<string> PrepareEncoderAsync(string? version, int bits, int seed, CancellationToken ct = default)
    {
        IPatchHasher hasher;
        if (version is not null) hasher = await encoders.GetAsync(version, ct);
        else
        {
            hasher = LshHasher.Create(bits, seed);
            await encoders.PublishAsync(hasher, ct);
        }
        await store.AddPendingEncoderAsync(hasher.Version, ct);
        return hasher.Version;
    }

    /// <summary>
    /// The next <paramref name="size"/> names after <paramref name="after"/>. Keeps only the smallest names seen, so it
    /// is correct whether or not the store lists in order (Azure does; a local folder need not). The first page
    /// (<paramref name="after"/> null) first waits until every instance's ingest writes the pending encoder; see
    /// <see cref="EncoderCatalog.WaitForIngestToSeePendingAsync"/>.
    /// </summary>
    public async Task<BlobPage> ListPatchBlobsAsync(string? after, int size, CancellationToken ct = default)
    {
        if (after is null) await encoders.WaitForIngestToSeePendingAsync(ct);
        var smallest = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var name in blobs.ListAsync(Containers.Patches, null, ct))
        {
            if (after is not null && string.CompareOrdinal(name, after) <= 0) continue;
            smallest.Add(name);
            if (smallest.Count > size) smallest.Remove(smallest.Max!);
        }
        var names = smallest.ToList();
        return new BlobPage(names, names.Count == size ? names[^1] : null);
    }

    /// <summary>Re-hashes a batch of blobs with the new encoder in one hasher batch (one network run per modality).</summary>
    public async Task<ReindexBatchResult> ReindexBatchAsync(string encoder, IReadOnlyList<string> names, CancellationToken ct = default)
    {
        var hasher = await encoders.GetAsync(encoder, ct);
        int indexed = 0, quarantined = 0, missing = 0, skipped = 0;
        foreach (var outcome in await ingestor.IngestBatchAsync(names, hasher, ct))
        {
            switch (outcome.Status)
            {
                case IngestStatus.Indexed: indexed++; break;
                case IngestStatus.Quarantined: quarantined++; break;
                case IngestStatus.Skipped: skipped++; break;
                default: missing++; break;
            }
        }
        return new ReindexBatchResult(indexed, quarantined, missing, skipped);
    }

    /// <summary>Makes the encoder active and ends its pending state in one store write.</summary>
    public Task ActivateAsync(string encoder, CancellationToken ct = default) => store.SetActiveEncoderAsync(encoder, ct);
}
