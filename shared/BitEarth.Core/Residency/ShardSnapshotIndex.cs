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

    /// <summary>Records in the section; the arrays may be longer, by the room asked for when parsing.</summary>
    public int Count => Header.Count;

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
        CancellationToken ct) =>
        await ShardSnapshotBlob.OpenAsync(blobs, encoder, modality, prefix, ct) is { } blob ? await blob.ReadIndexAsync(0, ct) : null;

    /// <summary>
    /// Parses the index section at the start of <paramref name="bytes"/> (a whole blob or the section alone) into arrays
    /// with <paramref name="spare"/> free slots after the records, so a shard can take a change feed without a copy.
    /// </summary>
    public static ShardSnapshotIndex Parse(ReadOnlySpan<byte> bytes, int spare = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spare);
        long length = ShardSnapshotLayout.IndexLength(bytes);
        if (length > bytes.Length) throw new ShardSnapshotFormatException($"{bytes.Length} bytes is shorter than the index section's {length}.");
        var section = bytes[..(int)length];
        var content = section[..^ShardSnapshotLayout.ChecksumBytes];
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(section[^ShardSnapshotLayout.ChecksumBytes..]);
        ulong actual = XxHash3.HashToUInt64(content);
        if (stored != actual) throw new ShardSnapshotFormatException($"index checksum is 0x{stored:x16}, the section hashes to 0x{actual:x16} (torn or corrupt blob).");
        try
        {
            return ParseChecked(content, spare);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or FormatException or OverflowException or IOException)
        {
            throw new ShardSnapshotFormatException(e.Message);
        }
    }

    private static ShardSnapshotIndex ParseChecked(ReadOnlySpan<byte> content, int spare)
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
        // Every slot below the count is written next and the spare ones only once a change takes them: no zeroing.
        int capacity = checked(count + spare);
        var keys = GC.AllocateUninitializedArray<long>(capacity);
        var codes = GC.AllocateUninitializedArray<ulong>(checked(capacity * words));
        var entries = GC.AllocateUninitializedArray<uint>(capacity);
        var keySpan = keys.AsSpan(0, count);
        var codeSpan = codes.AsSpan(0, count * words);
        var entrySpan = entries.AsSpan(0, count);
        at = Copy(content, at, MemoryMarshal.AsBytes(keySpan));
        at = Copy(content, at, MemoryMarshal.AsBytes(codeSpan));
        Copy(content, at, MemoryMarshal.AsBytes(entrySpan));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(keySpan, keySpan);
            BinaryPrimitives.ReverseEndianness(codeSpan, codeSpan);
            BinaryPrimitives.ReverseEndianness(entrySpan, entrySpan);
        }
        for (int i = 1; i < keySpan.Length; i++)
            if (keySpan[i] <= keySpan[i - 1]) throw new ShardSnapshotFormatException($"key {i} is not above key {i - 1}: keys must be strictly ascending.");
        ShardSnapshotLayout.ValidateCodes(codeSpan, words, bits, prefixBits, prefix);
        var header = new SnapshotHeader(source, encoder, modality, bits, prefixBits, prefix, stamp, count, labels, content.Length + ShardSnapshotLayout.ChecksumBytes);
        return new ShardSnapshotIndex(header, keys, codes, entries);
    }

    private static int Copy(ReadOnlySpan<byte> content, int at, Span<byte> target)
    {
        content.Slice(at, target.Length).CopyTo(target);
        return at + target.Length;
    }
}
