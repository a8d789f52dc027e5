using BitEarth.Core.Encoders;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// Keeps the shard snapshots of an encoder current: per shard, reads the snapshot blob, applies the records stamped
/// since (less <see cref="ArchiveOptions.StampOverlap"/>) and writes it back when anything changed; a shard without a
/// usable snapshot is read whole. Idempotent, and safe beside a concurrent writer: every snapshot either one writes is
/// complete up to its own stamp, and readers take the changes after it from the store.
/// </summary>
public sealed class CodeSnapshotWriter(ICodeStore store, IBlobStore blobs, EncoderCatalog encoders, ArchiveOptions options)
{
    public async Task<SnapshotRefresh> RefreshAsync(string encoder, CancellationToken ct = default)
    {
        var hasher = await encoders.GetAsync(encoder, ct);
        int written = 0, unchanged = 0;
        long records = 0;
        foreach (var modality in Enum.GetValues<Modality>())
            for (int prefix = 0; prefix < 1 << options.PrefixBits; prefix++)
            {
                var (snapshot, changed) = await RefreshShardAsync(encoder, modality, prefix, hasher.Bits, ct);
                records += snapshot.Records.Count;
                if (!changed)
                {
                    unchanged++;
                    continue;
                }
                await snapshot.WriteBlobAsync(blobs, ct);
                written++;
            }
        return new SnapshotRefresh(encoder, written, unchanged, records);
    }

    /// <summary>Refreshes the snapshots of the encoder queries use; null when none is active yet (nothing ingested).</summary>
    public async Task<SnapshotRefresh?> RefreshActiveAsync(CancellationToken ct = default) =>
        await store.GetActiveEncoderAsync(ct) is { } active ? await RefreshAsync(active, ct) : null;

    private async Task<(CodeShardSnapshot Snapshot, bool Changed)> RefreshShardAsync(string encoder, Modality modality, int prefix,
        int bits, CancellationToken ct)
    {
        CodeShardSnapshot? old;
        try
        {
            old = await CodeShardSnapshot.ReadBlobAsync(blobs, encoder, modality, prefix, ct);
        }
        catch (ShardSnapshotFormatException)
        {
            old = null; // a corrupt blob is replaced by one rebuilt from the store
        }
        if (old is not null && !old.Fits(store, bits, options.PrefixBits)) old = null;

        var shard = CodeRecord.ShardFor(encoder, modality, prefix);
        var byId = old?.Records.ToDictionary(r => r.Id, StringComparer.Ordinal) ?? new Dictionary<string, CodeRecord>(StringComparer.Ordinal);
        long stamp = old?.Stamp ?? 0;
        bool changed = old is null;
        var feed = old is null
            ? store.ReadShardAsync(shard, ct)
            : store.ReadShardSinceAsync(shard, old.Stamp - options.StampOverlapSeconds, ct);
        await foreach (var record in feed)
        {
            stamp = Math.Max(stamp, record.Stamp);
            if (byId.TryGetValue(record.Id, out var held) && (record.Stamp < held.Stamp || SameWrite(held, record))) continue;
            byId[record.Id] = record;
            changed = true;
        }
        if (!changed) return (old!, false);
        var records = byId.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        return (new CodeShardSnapshot(store.Location, encoder, modality, bits, options.PrefixBits, prefix, stamp, records), changed);
    }

    private static bool SameWrite(CodeRecord a, CodeRecord b) =>
        a.Stamp == b.Stamp && a.Code == b.Code && a.Blob == b.Blob && a.Labels.SequenceEqual(b.Labels, StringComparer.Ordinal);
}
