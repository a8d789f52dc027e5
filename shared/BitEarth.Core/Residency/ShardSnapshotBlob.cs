using System.Buffers;
using System.Buffers.Binary;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// A shard's snapshot blob known by its fixed header alone (one small ranged read): the stamp it is current to and the
/// length of its index section, so a loader can read the change feed since that stamp first and then the index section
/// (<see cref="ReadIndexAsync"/>, one more read) into arrays with room for the feed.
/// </summary>
public sealed class ShardSnapshotBlob
{
    private readonly IBlobStore _blobs;

    private ShardSnapshotBlob(IBlobStore blobs, string name, long stamp, long indexLength)
    {
        _blobs = blobs;
        Name = name;
        Stamp = stamp;
        IndexLength = indexLength;
    }

    public string Name { get; }

    /// <summary>The stamp the header says; the index read later may be of a newer version of the blob (compare its header's).</summary>
    public long Stamp { get; }

    /// <summary>Bytes of the index section, checksum included.</summary>
    public long IndexLength { get; }

    /// <summary>The blob's fixed header, or null when no snapshot has been written; <see cref="ShardSnapshotFormatException"/> when it is not one.</summary>
    public static async Task<ShardSnapshotBlob?> OpenAsync(IBlobStore blobs, string encoder, Modality modality, int prefix, CancellationToken ct)
    {
        var name = CodeShardSnapshot.BlobName(encoder, modality, prefix);
        var header = new byte[ShardSnapshotLayout.FixedHeaderBytes];
        int? got = await blobs.ReadRangeAsync(Containers.Snapshots, name, 0, header, ct);
        if (got is null) return null;
        long length = ShardSnapshotLayout.IndexLength(header.AsSpan(0, got.Value));
        if (length > Array.MaxLength) throw new ShardSnapshotFormatException($"index section of {length} bytes is too large.");
        long stamp = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(20));
        return new ShardSnapshotBlob(blobs, name, stamp, length);
    }

    /// <summary>
    /// The index section, parsed into arrays with <paramref name="spare"/> free slots. The blob may have been rewritten
    /// since it was opened: a section of another length shows as a torn read (<see cref="ShardSnapshotFormatException"/>),
    /// one of the same length by its header's stamp.
    /// </summary>
    public async Task<ShardSnapshotIndex> ReadIndexAsync(int spare, CancellationToken ct)
    {
        int length = (int)IndexLength;
        // A pooled buffer: the section is copied into the arrays a shard keeps, so it need not be garbage per load.
        var section = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            int? got = await _blobs.ReadRangeAsync(Containers.Snapshots, Name, 0, section.AsMemory(0, length), ct);
            if (got != length) throw new ShardSnapshotFormatException($"the blob ends inside its index section ({got} of {length} bytes).");
            return ShardSnapshotIndex.Parse(section.AsSpan(0, length), spare);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(section);
        }
    }
}
