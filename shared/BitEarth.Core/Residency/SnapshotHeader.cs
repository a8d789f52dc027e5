using System.Buffers.Binary;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// What a shard snapshot says about itself, and what reading one record's metadata entry from its blob needs (the
/// label table, the shard): a resident shard keeps this, not the records.
/// </summary>
public sealed class SnapshotHeader(string source, string encoder, Modality modality, int bits, int prefixBits, int prefix, long stamp,
    int count, IReadOnlyList<string> labels, long indexLength)
{
    /// <summary>The <see cref="ICodeStore.Location"/> of the store the records were read from.</summary>
    public string Source { get; } = source;

    public string Encoder { get; } = encoder;

    public Modality Modality { get; } = modality;

    public int Bits { get; } = bits;

    public int PrefixBits { get; } = prefixBits;

    public int Prefix { get; } = prefix;

    /// <summary>Every record written before this stamp is in the snapshot; later ones come from the change feed.</summary>
    public long Stamp { get; } = stamp;

    public int Count { get; } = count;

    public IReadOnlyList<string> Labels { get; } = labels;

    /// <summary>Bytes of the index section (header, keys, codes, entry offsets, its checksum); entries follow it.</summary>
    public long IndexLength { get; } = indexLength;

    public string Shard => CodeRecord.ShardFor(Encoder, Modality, Prefix);

    public string BlobName => CodeShardSnapshot.BlobName(Encoder, Modality, Prefix);

    /// <summary>Whether this snapshot can stand in for reading its shard from <paramref name="store"/>.</summary>
    public bool Fits(ICodeStore store, int bits, int prefixBits) =>
        Source == store.Location && Bits == bits && PrefixBits == prefixBits;

    /// <summary>
    /// The record whose entry starts at <paramref name="entry"/>, read with one ranged read (two for a long entry); null
    /// when the blob is gone or the entry there is not <paramref name="key"/>'s (the blob was rewritten since this header
    /// was read). <paramref name="code"/> (base64) is the code the caller holds for the key: the entry does not repeat it.
    /// </summary>
    public async Task<CodeRecord?> ReadRecordAsync(IBlobStore blobs, uint entry, long key, string code, CancellationToken ct)
    {
        var buffer = new byte[ShardSnapshotLayout.EntryReadBytes];
        int? got = await blobs.ReadRangeAsync(Containers.Snapshots, BlobName, entry, buffer, ct);
        if (got is not >= sizeof(int)) return null;
        int length = BinaryPrimitives.ReadInt32LittleEndian(buffer);
        if (length is < sizeof(int) + sizeof(long) or > ShardSnapshotLayout.MaxEntryBytes) return null;
        if (length > got)
        {
            buffer = new byte[length];
            if (await blobs.ReadRangeAsync(Containers.Snapshots, BlobName, entry, buffer, ct) != length) return null;
        }
        try
        {
            var (entryKey, record) = ReadEntry(buffer.AsSpan(0, length), code);
            return entryKey == key ? record : null;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException)
        {
            return null; // not an entry at all: this offset belongs to another version of the blob
        }
    }

    /// <summary>Parses one entry: length, key, patch id, blob, stamp, label count and label table indices.</summary>
    internal (long Key, CodeRecord Record) ReadEntry(ReadOnlySpan<byte> entry, string code)
    {
        var reader = new SnapshotReader(entry, 0);
        int length = reader.ReadInt32();
        if (length != entry.Length) throw new FormatException($"entry says {length} bytes, has {entry.Length}.");
        long key = reader.ReadInt64();
        var patchId = reader.ReadString();
        var blob = reader.ReadString();
        long stamp = reader.ReadInt64();
        int n = reader.Read7BitEncodedInt();
        if (n < 0 || n > Labels.Count) throw new FormatException($"entry has {n} labels, the table {Labels.Count}.");
        var labels = new string[n];
        for (int j = 0; j < n; j++)
        {
            int label = reader.Read7BitEncodedInt();
            if ((uint)label >= (uint)Labels.Count) throw new FormatException($"entry names label {label} of {Labels.Count}.");
            labels[j] = Labels[label];
        }
        if (reader.Position != entry.Length) throw new FormatException($"{entry.Length - reader.Position} bytes follow the entry's fields.");
        return (key, new CodeRecord(CodeRecord.IdFor(Encoder, patchId), Shard, patchId, Encoder, Modality, code, labels, blob) { Stamp = stamp });
    }
}
