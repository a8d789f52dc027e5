using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Ingest;

/// <summary>
/// Blob in the patches container -> patch -> code -> store. Idempotent: redelivery of the same blob rewrites the same
/// records (ids are deterministic), so at-least-once triggers are safe.
/// </summary>
public sealed class PatchIngestor(IBlobStore blobs, ICodeStore store, EncoderCatalog encoders, ResidentIndexCache indexes, ArchiveOptions options)
{
    /// <summary>Largest blob read into memory; anything bigger is quarantined unread.</summary>
    public const long MaxBlobBytes = 64L << 20;

    public async Task<IngestOutcome> IngestAsync(string blob, CancellationToken ct = default)
    {
        var hasher = await encoders.GetActiveAsync(ct);
        return await IngestAsync(blob, hasher, ct);
    }

    /// <summary>Hashes a blob with a given encoder (re-index uses this with an encoder that is not active yet).</summary>
    public async Task<IngestOutcome> IngestAsync(string blob, IPatchHasher hasher, CancellationToken ct = default)
    {
        var content = await ReadAsync(blob, ct);
        if (content is null) return new IngestOutcome(blob, IngestStatus.Missing);
        if (content.Length > MaxBlobBytes)
        {
            // Only the first MaxBlobBytes + 1 bytes were read; the quarantine copy streams the whole blob.
            var reason = $"blob is larger than the {MaxBlobBytes}-byte limit";
            await Quarantine.MoveAsync(blobs, blob, ct2 => blobs.OpenReadAsync(Containers.Patches, blob, ct2), reason, ct);
            return new IngestOutcome(blob, IngestStatus.Quarantined, Reason: reason);
        }

        Patch patch;
        try
        {
            patch = PatchBlobReader.Read(blob, new MemoryStream(content, writable: false));
            if (!hasher.Modalities.Contains(patch.Modality))
                throw new PatchFormatException(blob, $"encoder {hasher.Version} does not hash {patch.Modality} patches");
        }
        catch (PatchFormatException e)
        {
            return await QuarantineAsync(blob, content, e.Message, ct);
        }

        var code = hasher.Hash(patch);
        var shard = CodeRecord.ShardFor(hasher.Version, patch.Modality, code.Prefix(options.PrefixBits));
        var record = new CodeRecord(CodeRecord.IdFor(hasher.Version, patch.Id), shard, patch.Id, hasher.Version,
            patch.Modality, code.ToBase64(), patch.Labels, blob);
        await store.UpsertPatchAsync(new PatchRecord(patch.Id, patch.Modality, patch.Labels, blob, patch.Width, patch.Height,
            patch.PairedId, patch.AcquiredAt), ct);
        await store.UpsertCodeAsync(record, ct);
        await indexes.ApplyAsync(record);
        return new IngestOutcome(blob, IngestStatus.Indexed, patch.Id);
    }

    private async Task<byte[]?> ReadAsync(string blob, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(Containers.Patches, blob, ct);
        if (stream is null) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length <= MaxBlobBytes && (read = await stream.ReadAsync(chunk, ct)) > 0) buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    private async Task<IngestOutcome> QuarantineAsync(string blob, byte[] content, string reason, CancellationToken ct)
    {
        await Quarantine.MoveAsync(blobs, blob, _ => Task.FromResult<Stream?>(new MemoryStream(content)), reason, ct);
        return new IngestOutcome(blob, IngestStatus.Quarantined, Reason: reason);
    }
}
