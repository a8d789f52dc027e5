using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Thumbnails;

namespace BitEarth.Core.Ingest;

/// <summary>
/// Blob in the patches container -> patch -> code per encoder -> store. Idempotent: redelivery of the same blob
/// rewrites the same records (ids are deterministic), so at-least-once triggers are safe. Single blobs hash through the
/// <see cref="HashCoalescer"/> (when given), so concurrent invocations share network runs; a re-index batch hashes its
/// patches in one <see cref="IPatchHasher.HashBatch"/>. A second blob whose patch id is already indexed from another
/// blob is quarantined, never silently swapped in.
/// </summary>
public sealed class PatchIngestor(IBlobStore blobs, ICodeStore store, EncoderCatalog encoders, ResidentIndexCache indexes, ArchiveOptions options,
    HashCoalescer? coalescer = null)
{
    /// <summary>
    /// Hashes a new blob with the active encoder and with every encoder a re-index is building, so the blob is in the
    /// new encoder's index after activation even when the re-index had already listed past its name.
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(string blob, CancellationToken ct = default) =>
        await IngestAsync(blob, await encoders.GetIngestHashersAsync(ct), ct);

    /// <summary>Hashes a blob with a given encoder (re-index uses this with an encoder that is not active yet).</summary>
    public Task<IngestOutcome> IngestAsync(string blob, IPatchHasher hasher, CancellationToken ct = default) =>
        IngestAsync(blob, [hasher], ct);

    /// <summary>
    /// Reads the blobs, then hashes every readable patch with <paramref name="hasher"/> in one batch (one network run per
    /// modality for an ONNX encoder) and writes the codes; outcomes in the order of <paramref name="names"/>. A patch of a
    /// modality the hasher has no model for is skipped, not quarantined: it is fine, only this encoder cannot hash it.
    /// </summary>
    public async Task<IReadOnlyList<IngestOutcome>> IngestBatchAsync(IReadOnlyList<string> names, IPatchHasher hasher, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(hasher);
        var outcomes = new IngestOutcome[names.Count];
        var read = new List<(int Index, Patch Patch)>();
        for (int i = 0; i < names.Count; i++)
        {
            var (patch, outcome) = await ReadAsync(names[i], hasher, skipOtherModality: true, ct);
            if (patch is null) outcomes[i] = outcome!;
            else read.Add((i, patch));
        }
        var codes = hasher.HashBatch(read.ConvertAll(r => r.Patch));
        for (int j = 0; j < read.Count; j++)
        {
            var (i, patch) = read[j];
            await UpsertPatchAsync(patch, names[i], ct);
            await WriteCodeAsync(hasher, patch, names[i], codes[j], ct);
            outcomes[i] = new IngestOutcome(names[i], IngestStatus.Indexed, patch.Id);
        }
        return outcomes;
    }

    /// <summary>
    /// Reads and parses the blob once for all <paramref name="hashers"/>. Whether it is quarantined follows the first
    /// (the active encoder, or the one a re-index passes), as with a single encoder; another that does not hash the
    /// patch's modality just writes no code for it.
    /// </summary>
    private async Task<IngestOutcome> IngestAsync(string blob, IReadOnlyList<IPatchHasher> hashers, CancellationToken ct)
    {
        var (patch, outcome) = await ReadAsync(blob, hashers[0], skipOtherModality: false, ct);
        if (patch is null) return outcome!;
        await UpsertPatchAsync(patch, blob, ct);
        foreach (var hasher in hashers.Where(h => h.Modalities.Contains(patch.Modality)))
        {
            var code = coalescer is null ? hasher.Hash(patch) : await coalescer.HashAsync(hasher, patch);
            await WriteCodeAsync(hasher, patch, blob, code, ct);
        }
        return new IngestOutcome(blob, IngestStatus.Indexed, patch.Id);
    }

    /// <summary>The blob's patch, or why there is none (missing, or quarantined: too large, unreadable, a modality the first hasher lacks).</summary>
    private async Task<(Patch? Patch, IngestOutcome? Outcome)> ReadAsync(string blob, IPatchHasher first, bool skipOtherModality, CancellationToken ct)
    {
        byte[]? content;
        await using (var stream = await blobs.OpenReadAsync(Containers.Patches, blob, ct))
        {
            if (stream is null) return (null, new IngestOutcome(blob, IngestStatus.Missing));
            content = await PatchBlobReader.ReadBlobAsync(stream, ct);
        }
        if (content is null)
        {
            // Only the first bytes were read; the quarantine copy streams the whole blob.
            return (null, await QuarantineAsync(blob, token => blobs.OpenReadAsync(Containers.Patches, blob, token),
                $"blob is larger than the {PatchBlobReader.MaxBytes}-byte limit", ct));
        }
        try
        {
            var patch = PatchBlobReader.Read(blob, content);
            if (skipOtherModality && !first.Modalities.Contains(patch.Modality))
                return (null, new IngestOutcome(blob, IngestStatus.Skipped, patch.Id, $"encoder {first.Version} has no {patch.Modality} model"));
            if (!first.Modalities.Contains(patch.Modality))
                throw new PatchFormatException(blob, $"encoder {first.Version} does not hash {patch.Modality} patches");
            if (await ConflictAsync(patch.Id, blob, ct) is { } holder)
            {
                return (null, await QuarantineAsync(blob, _ => Task.FromResult<Stream?>(new MemoryStream(content)),
                    $"patch id {patch.Id} already indexed from blob {holder}", ct));
            }
            return (patch, null);
        }
        catch (PatchFormatException e)
        {
            return (null, await QuarantineAsync(blob, _ => Task.FromResult<Stream?>(new MemoryStream(content)), e.Message, ct));
        }
    }

    private async Task UpsertPatchAsync(Patch patch, string blob, CancellationToken ct)
    {
        // The thumbnail first: a patch whose record is visible always has its picture.
        await ThumbnailStore.WriteAsync(blobs, patch, ct);
        await store.UpsertPatchAsync(new PatchRecord(patch.Id, patch.Modality, patch.Labels, blob, patch.Width, patch.Height,
            patch.PairedId, patch.AcquiredAt) { Footprint = patch.Footprint, Tile = patch.Tile, Labels19 = patch.Labels19 }, ct);
    }

    private async Task WriteCodeAsync(IPatchHasher hasher, Patch patch, string blob, HammingCode code, CancellationToken ct)
    {
        var shard = CodeRecord.ShardFor(hasher.Version, patch.Modality, code.Prefix(options.PrefixBits));
        var record = new CodeRecord(CodeRecord.IdFor(hasher.Version, patch.Id), shard, patch.Id, hasher.Version,
            patch.Modality, code.ToBase64(), patch.Labels, blob)
        {
            RegionCodes = hasher is IMultiCodeHasher multi ? [.. multi.HashMany(patch).Select(c => c.ToBase64())] : null,
        };
        await store.UpsertCodeAsync(record, ct);
        await indexes.ApplyAsync(record);
    }

    /// <summary>
    /// The other blob that already holds this patch id, if any: a second blob with an existing id would replace the
    /// first one's labels and codes. The same blob re-delivered is no conflict, and neither is an id whose blob has
    /// left the patches container (deleted or quarantined), which the new blob may take over.
    /// </summary>
    private async Task<string?> ConflictAsync(string patchId, string blob, CancellationToken ct)
    {
        if (await store.GetPatchAsync(patchId, ct) is not { } existing || existing.Blob == blob) return null;
        await using var held = await blobs.OpenReadAsync(Containers.Patches, existing.Blob, ct);
        return held is null ? null : existing.Blob;
    }

    private async Task<IngestOutcome> QuarantineAsync(string blob, Func<CancellationToken, Task<Stream?>> content, string reason,
        CancellationToken ct)
    {
        await Quarantine.MoveAsync(blobs, blob, content, reason, ct);
        return new IngestOutcome(blob, IngestStatus.Quarantined, Reason: reason);
    }
}
