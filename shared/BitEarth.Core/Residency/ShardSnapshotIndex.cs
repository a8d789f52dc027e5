using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// The index section of a shard snapshot (see <see cref="CodeShardSnapshot"/> for the layout): the header, keys sorted
/// ascending, packed codes and each record's entry offset, read with one ranged read and no per-record parsing, so a
/// resident index takes the arrays as they are. The records' metadata stays in the blob and is read entry by entry
/// (<see cref="SnapshotHeader.ReadRecordAsync"/>) for the hits of a query only.
/// </summary>
public sealed class ShardSnapshotIndex
{
    internal ShardSnapshotIndex(SnapshotHeader header, long[] keys, ulong[] codes, uint[] entries)
    {
        Header = header;
        Keys = keys;
        Codes = codes;
        Entries = entries;
    }

    public SnapshotHeader Header { get; }

    /// <summary>Index key of each record (<see cref="Index.PatchKey.Of"/> of its patch id), strictly ascending.</summary>
    public long[] Keys { get; }

    /// <summary>The codes in key order, ceil(bits/64) words each.</summary>
    public ulong[] Codes { get; }

    /// <summary>Byte offset in the blob of each record's metadata entry, in key order.</summary>
    public uint[] Entries { get; }

    /// <summary>
    /// The index section of a shard's snapshot blob, or null when none has been written; two ranged reads (the fixed
    /// header, then the section). <see cref="ShardSnapshotFormatException"/> says why a blob is not a usable snapshot.
    /// </summary>
    public static async Task<ShardSnapshotIndex?> ReadBlobAsync(IBlobStore blobs, string encoder, Modality modality, int prefix,
        CancellationToken ct)
    {
        var name = CodeShardSnapshot.BlobName(encoder, modality, prefix);
        var fixedHeader = new byte[ShardSnapshotLayout.FixedHeaderBytes];
        int? got = await blobs.ReadRangeAsync(Containers.Snapshots, name, 0, fixedHeader, ct);
        if (got is null) return null;
        long length = ShardSnapshotLayout.IndexLength(fixedHeader.AsSpan(0, got.Value));
        if (length > Array.MaxLength) throw new ShardSnapshotFormatException($"index section of {length} bytes is too large.");
        // A pooled buffer: the section is copied into the arrays a shard keeps, so it need not be garbage per load.
        var section = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            got = await blobs.ReadRangeAsync(Containers.Snapshots, name, 0, section.AsMemory(0, (int)length), ct);
            if (got != length) throw new ShardSnapshotFormatException($"the blob ends inside its index section ({got} of {length} bytes).");
            return Parse(section.AsSpan(0, (int)length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(section);
        }
    }

    /// <summary>Parses the index section at the start of <paramref name="bytes"/> (a whole blob or the section alone).</summary>
    public static ShardSnapshotIndex Parse(ReadOnlySpan<byte> bytes)
    {
        long length = ShardSnapshotLayout.IndexLength(bytes);
        if (length > bytes.Length) throw new ShardSnapshotFormatException($"{bytes.Length} bytes is shorter than the index section's {length}.");
        var section = bytes[..(int)length];
        var content = section[..^ShardSnapshotLayout.ChecksumBytes];
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(section[^ShardSnapshotLayout.ChecksumBytes..]);
        ulong actual = XxHash3.HashToUInt64(content);
        if (stored != actual) throw new ShardSnapshotFormatException($"index checksum is 0x{stored:x16}, the section hashes to 0x{actual:x16} (torn or corrupt blob).");
        try
        {
            return ParseChecked(content);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or FormatException or OverflowException or IOException)
        {
            throw new ShardSnapshotFormatException(e.Message);
        }
    }

    private static ShardSnapshotIndex ParseChecked(ReadOnlySpan<byte> content)
    {
        int bits = BinaryPrimitives.ReadInt32LittleEndian(content[8..]);
        int prefixBits = BinaryPrimitives.ReadInt32LittleEndian(content[12..]);
        int prefix = BinaryPrimitives.ReadInt32LittleEndian(content[16..]);
        long stamp = BinaryPrimitives.ReadInt64LittleEndian(content[20..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(content[28..]);
        if (!HammingCode.IsValidLength(bits))
            throw new ShardSnapshotFormatException($"code length {bits} is not a multiple of 8 in {HammingCode.MinBits}..{HammingCode.MaxBits}.");
        if (prefixBits is < 0 or > 8 || (uint)prefix >= 1u << prefixBits)
            throw new ShardSnapshotFormatException($"prefix {prefix} of {prefixBits} bits is out of range.");
        int words = HammingCode.WordCount(bits);
        // Each record takes its key, code words and entry offset in this section: a count beyond that is a lie.
        if (count < 0 || (long)count * ((words + 1) * sizeof(ulong) + sizeof(uint)) > content.Length)
            throw new ShardSnapshotFormatException($"count {count} does not fit in {content.Length} bytes.");

        var reader = new SnapshotReader(content, ShardSnapshotLayout.FixedHeaderBytes);
        var source = reader.ReadString();
        var encoder = reader.ReadString();
        var modalityName = reader.ReadString();
        if (!Enum.TryParse<Modality>(modalityName, out var modality) || !Enum.IsDefined(modality))
            throw new ShardSnapshotFormatException($"modality '{modalityName}' is not one of {string.Join(", ", Enum.GetNames<Modality>())}.");
        int labelCount = reader.ReadInt32();
        if (labelCount < 0 || labelCount > content.Length)
            throw new ShardSnapshotFormatException($"label table size {labelCount} is out of range.");
        var labels = new string[labelCount];
        for (int i = 0; i < labelCount; i++) labels[i] = reader.ReadString();

        int at = reader.Position;
        int arrays = count * ((words + 1) * sizeof(ulong) + sizeof(uint));
        if (content.Length - at != arrays)
            throw new ShardSnapshotFormatException($"the index section holds {content.Length - at} bytes of arrays, {count} records need {arrays}.");
        var keys = new long[count];
        var codes = new ulong[count * words];
        var entries = new uint[count];
        at = Copy(content, at, MemoryMarshal.AsBytes(keys.AsSpan()));
        at = Copy(content, at, MemoryMarshal.AsBytes(codes.AsSpan()));
        Copy(content, at, MemoryMarshal.AsBytes(entries.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(keys, keys);
            BinaryPrimitives.ReverseEndianness(codes, codes);
            BinaryPrimitives.ReverseEndianness(entries, entries);
        }
        for (int i = 1; i < count; i++)
            if (keys[i] <= keys[i - 1]) throw new ShardSnapshotFormatException($"key {i} is not above key {i - 1}: keys must be strictly ascending.");
        ShardSnapshotLayout.ValidateCodes(codes, words, bits, prefixBits, prefix);
        var header = new SnapshotHeader(source, encoder, modality, bits, prefixBits, prefix, stamp, count, labels, content.Length + ShardSnapshotLayout.ChecksumBytes);
        return new ShardSnapshotIndex(header, keys, codes, entries);
    }

    private static int Copy(ReadOnlySpan<byte> content, int at, Span<byte> target)
    {
        content.Slice(at, target.Length).CopyTo(target);
        return at + target.Length;
    }
}
