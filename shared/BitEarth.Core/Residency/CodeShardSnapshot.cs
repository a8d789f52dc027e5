using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// One shard of the code store packed into a blob, so a process loads a shard in one read instead of item by item:
/// every record's key, code, patch id, labels and blob, and the stamp the snapshot is current to (the latest record
/// stamp it has seen), and the <see cref="ICodeStore.Location"/> of the store it was taken from. Anything written since
/// is read from the store's change feed. Records are kept in key order.
/// Layout (little-endian), in two sections so a resident index reads only the first and each hit's entry later:
/// the index section: magic "BECS", version, bits, prefix bits, prefix (five 32-bit fields), stamp (64-bit), count
/// (32-bit), the index section's length (64-bit); length-prefixed UTF-8 strings: source, encoder, modality, the label
/// table; count 64-bit keys (strictly ascending), count * ceil(bits/64) 64-bit code words, count 32-bit entry offsets
/// (from the blob's start); the XxHash3 of the section before it.
/// Then the entries, one per record in key order: its length (32-bit, itself included), key, patch id, blob, stamp,
/// label count and label indices (7-bit encoded); last, the XxHash3 of the whole blob before it. A torn or flipped blob
/// is refused instead of loaded; an entry read alone is checked by its key.
/// </summary>
public sealed class CodeShardSnapshot
{
    public const uint Magic = ShardSnapshotLayout.Magic;
    public const int Version = ShardSnapshotLayout.Version;
    private const int ChecksumBytes = ShardSnapshotLayout.ChecksumBytes;

    private readonly long[] _keys;
    private readonly ulong[] _codes;

    /// <summary>A snapshot of the given records, which must all belong to the shard named by the other arguments.</summary>
    public CodeShardSnapshot(string source, string encoder, Modality modality, int bits, int prefixBits, int prefix, long stamp,
        IReadOnlyList<CodeRecord> records)
        : this(source, encoder, modality, bits, prefixBits, prefix, stamp, ByKey(records, out var keys), keys, null)
    {
    }

    private CodeShardSnapshot(string source, string encoder, Modality modality, int bits, int prefixBits, int prefix, long stamp,
        IReadOnlyList<CodeRecord> records, long[] keys, ulong[]? codes)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(encoder);
        HammingCode.ValidateBits(bits);
        if (prefixBits is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(prefixBits), "Shard names hold a prefix of 0..8 bits.");
        if ((uint)prefix >= 1u << prefixBits) throw new ArgumentOutOfRangeException(nameof(prefix), $"A {prefixBits}-bit prefix is 0..{(1 << prefixBits) - 1}.");
        var shard = CodeRecord.ShardFor(encoder, modality, prefix);
        foreach (var record in records)
        {
            if (record.Shard != shard || record.Encoder != encoder || record.Modality != modality)
                throw new ArgumentException($"Record {record.Id} of shard {record.Shard} is not in shard {shard}.", nameof(records));
            if (record.Stamp > stamp)
                throw new ArgumentException($"Record {record.Id} has stamp {record.Stamp}, after the snapshot's {stamp}.", nameof(records));
        }
        Source = source;
        Encoder = encoder;
        Modality = modality;
        Bits = bits;
        PrefixBits = prefixBits;
        Prefix = prefix;
        Stamp = stamp;
        Records = records;
        _keys = keys;
        _codes = codes ?? Pack(records, bits);
        ShardSnapshotLayout.ValidateCodes(_codes, HammingCode.WordCount(bits), bits, prefixBits, prefix);
    }

    /// <summary>The <see cref="ICodeStore.Location"/> of the store the records were read from.</summary>
    public string Source { get; }

    public string Encoder { get; }

    public Modality Modality { get; }

    public int Bits { get; }

    public int PrefixBits { get; }

    public int Prefix { get; }

    /// <summary>Every record written before this stamp is in the snapshot; later ones come from the change feed.</summary>
    public long Stamp { get; }

    /// <summary>The records in key order.</summary>
    public IReadOnlyList<CodeRecord> Records { get; }

    /// <summary>The index key of each record (<see cref="PatchKey.Of"/> of its patch id), strictly ascending.</summary>
    public ReadOnlySpan<long> Keys => _keys;

    /// <summary>The codes of the records packed in record order, ceil(<see cref="Bits"/>/64) words each.</summary>
    public ReadOnlySpan<ulong> Codes => _codes;

    public string Shard => CodeRecord.ShardFor(Encoder, Modality, Prefix);

    /// <summary>Whether this snapshot can stand in for reading its shard from <paramref name="store"/>.</summary>
    public bool Fits(ICodeStore store, int bits, int prefixBits) =>
        Source == store.Location && Bits == bits && PrefixBits == prefixBits;

    /// <summary>Where the snapshot of a shard lives in the snapshots container.</summary>
    public static string BlobName(string encoder, Modality modality, int prefix) => $"{encoder}/{modality}/{prefix:x2}";

    /// <summary>The snapshot of a shard from the snapshots container, or null when none has been written.</summary>
    public static async Task<CodeShardSnapshot?> ReadBlobAsync(IBlobStore blobs, string encoder, Modality modality, int prefix,
        CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(Containers.Snapshots, BlobName(encoder, modality, prefix), ct);
        return stream is null ? null : await ReadAsync(stream, ct);
    }

    public async Task WriteBlobAsync(IBlobStore blobs, CancellationToken ct)
    {
        using var content = new MemoryStream(ToBytes(), writable: false);
        await blobs.WriteAsync(Containers.Snapshots, BlobName(Encoder, Modality, Prefix), content, ct);
    }

    public async Task WriteAsync(Stream stream, CancellationToken ct)
    {
        var bytes = ToBytes();
        await stream.WriteAsync(bytes, ct);
    }

    /// <summary>Reads a whole snapshot; <see cref="ShardSnapshotFormatException"/> says why a stream is not one.</summary>
    public static async Task<CodeShardSnapshot> ReadAsync(Stream stream, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        return FromBytes(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    public byte[] ToBytes()
    {
        var labels = Records.SelectMany(r => r.Labels).Distinct(StringComparer.Ordinal).ToList();
        var labelIndex = labels.Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i, StringComparer.Ordinal);
        using var entries = new MemoryStream();
        var starts = new long[Records.Count];
        using (var writer = new BinaryWriter(entries, Encoding.UTF8, leaveOpen: true))
            for (int i = 0; i < Records.Count; i++)
            {
                var record = Records[i];
                starts[i] = entries.Position;
                writer.Write(0); // the entry's length, filled in below
                writer.Write(_keys[i]);
                writer.Write(record.PatchId);
                writer.Write(record.Blob);
                writer.Write(record.Stamp);
                writer.Write7BitEncodedInt(record.Labels.Count);
                foreach (var label in record.Labels) writer.Write7BitEncodedInt(labelIndex[label]);
                writer.Flush();
                int length = (int)(entries.Position - starts[i]);
                if (length > ShardSnapshotLayout.MaxEntryBytes)
                    throw new InvalidOperationException($"Record {record.Id} takes {length} bytes; a snapshot entry holds at most {ShardSnapshotLayout.MaxEntryBytes}.");
                BinaryPrimitives.WriteInt32LittleEndian(entries.GetBuffer().AsSpan((int)starts[i]), length);
            }

        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(Bits);
            writer.Write(PrefixBits);
            writer.Write(Prefix);
            writer.Write(Stamp);
            writer.Write(Records.Count);
            writer.Write(0L); // the index section's length, filled in below
            writer.Write(Source);
            writer.Write(Encoder);
            writer.Write(Modality.ToString());
            writer.Write(labels.Count);
            foreach (var label in labels) writer.Write(label);
            writer.Flush();
            long indexLength = body.Position + (long)_keys.Length * sizeof(long) + (long)_codes.Length * sizeof(ulong)
                + (long)Records.Count * sizeof(uint) + ChecksumBytes;
            if (indexLength + entries.Length > uint.MaxValue)
                throw new InvalidOperationException($"Shard {Shard} needs {indexLength + entries.Length} bytes; entry offsets are 32-bit (use more prefix bits).");
            foreach (long key in _keys) writer.Write(key);
            foreach (ulong word in _codes) writer.Write(word);
            foreach (long start in starts) writer.Write((uint)(indexLength + start));
            writer.Flush();
            BinaryPrimitives.WriteInt64LittleEndian(body.GetBuffer().AsSpan(32), indexLength);
            WriteChecksum(body);
            entries.Position = 0;
            entries.CopyTo(body);
            WriteChecksum(body);
        }
        return body.ToArray();
    }

    /// <summary>Reads a whole snapshot, every entry checked; <see cref="ShardSnapshotFormatException"/> says why not.</summary>
    public static CodeShardSnapshot FromBytes(ReadOnlySpan<byte> bytes)
    {
        long indexLength = ShardSnapshotLayout.IndexLength(bytes);
        if (bytes.Length < indexLength + ChecksumBytes)
            throw new ShardSnapshotFormatException($"{bytes.Length} bytes is shorter than the index section's {indexLength} and a checksum.");
        var content = bytes[..^ChecksumBytes];
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^ChecksumBytes..]);
        ulong actual = XxHash3.HashToUInt64(content);
        if (stored != actual) throw new ShardSnapshotFormatException($"checksum is 0x{stored:x16}, the content hashes to 0x{actual:x16} (torn or corrupt blob).");
        var index = ShardSnapshotIndex.Parse(content);
        var header = index.Header;
        int words = HammingCode.WordCount(header.Bits);
        var records = new CodeRecord[header.Count];
        long next = indexLength;
        var codeBytes = new byte[header.Bits / 8];
        try
        {
            for (int i = 0; i < records.Length; i++)
            {
                if (index.Entries[i] != next) throw new ShardSnapshotFormatException($"entry {i} starts at {index.Entries[i]}, the one before ends at {next}.");
                if (content.Length - next < sizeof(int)) throw new ShardSnapshotFormatException($"the blob ends inside entry {i}.");
                int length = BinaryPrimitives.ReadInt32LittleEndian(content[(int)next..]);
                if (length < sizeof(int) || length > content.Length - next) throw new ShardSnapshotFormatException($"entry {i} says {length} bytes, {content.Length - next} remain.");
                for (int b = 0; b < codeBytes.Length; b++) codeBytes[b] = (byte)(index.Codes[i * words + (b >> 3)] >> ((b & 7) * 8));
                var (key, record) = header.ReadEntry(content.Slice((int)next, length), Convert.ToBase64String(codeBytes));
                if (key != index.Keys[i]) throw new ShardSnapshotFormatException($"entry {i} holds key {key}, the index {index.Keys[i]}.");
                if (record.Stamp > header.Stamp) throw new ShardSnapshotFormatException($"entry {i} has stamp {record.Stamp}, after the snapshot's {header.Stamp}.");
                records[i] = record;
                next += length;
            }
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException)
        {
            throw new ShardSnapshotFormatException(e.Message);
        }
        if (next != content.Length) throw new ShardSnapshotFormatException($"{content.Length - next} bytes follow the last entry.");
        return new CodeShardSnapshot(header.Source, header.Encoder, header.Modality, header.Bits, header.PrefixBits, header.Prefix,
            header.Stamp, records, index.Keys, index.Codes);
    }

    private static void WriteChecksum(MemoryStream body)
    {
        Span<byte> tail = stackalloc byte[ChecksumBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, XxHash3.HashToUInt64(body.GetBuffer().AsSpan(0, (int)body.Length)));
        body.Write(tail);
    }

    /// <summary>The records in key order (a key twice is a bug of the caller: one patch, one record per shard).</summary>
    private static CodeRecord[] ByKey(IReadOnlyList<CodeRecord> records, out long[] keys)
    {
        var sorted = records.ToArray();
        keys = [.. sorted.Select(r => PatchKey.Of(r.PatchId))];
        Array.Sort(keys, sorted);
        for (int i = 1; i < keys.Length; i++)
            if (keys[i] == keys[i - 1]) throw new ArgumentException($"Records {sorted[i - 1].Id} and {sorted[i].Id} share key {keys[i]}.", nameof(records));
        return sorted;
    }

    private static ulong[] Pack(IReadOnlyList<CodeRecord> records, int bits)
    {
        int words = HammingCode.WordCount(bits);
        var codes = new ulong[records.Count * words];
        for (int i = 0; i < records.Count; i++)
        {
            var code = HammingCode.FromBase64(records[i].Code);
            if (code.Bits != bits) throw new ArgumentException($"Record {records[i].Id} holds a {code.Bits}-bit code, the shard {bits}-bit ones.", nameof(records));
            code.Words.CopyTo(codes.AsSpan(i * words, words));
        }
        return codes;
    }
}
