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
/// is read from the store's change feed.
/// Layout (little-endian): magic "BECS", version, bits, prefix bits, prefix (five 32-bit fields), stamp (64-bit),
/// count (32-bit); then length-prefixed UTF-8 strings: source, encoder, modality, the label table; then count 64-bit keys,
/// count * ceil(bits/64) 64-bit code words, and per record its patch id, blob, stamp, label count and label indices;
/// last, the XxHash3 of everything before it, so a torn or flipped blob is refused instead of loaded.
/// </summary>
public sealed class CodeShardSnapshot
{
    public const uint Magic = 0x53434542; // "BECS" read as little-endian bytes
    public const int Version = 1;
    private const int HeaderBytes = 32;
    private const int ChecksumBytes = sizeof(ulong);

    private readonly long[] _keys;
    private readonly ulong[] _codes;

    /// <summary>A snapshot of the given records, which must all belong to the shard named by the other arguments.</summary>
    public CodeShardSnapshot(string source, string encoder, Modality modality, int bits, int prefixBits, int prefix, long stamp,
        IReadOnlyList<CodeRecord> records)
        : this(source, encoder, modality, bits, prefixBits, prefix, stamp, records,
            [.. records.Select(r => PatchKey.Of(r.PatchId))], Pack(records, bits))
    {
    }

    private CodeShardSnapshot(string source, string encoder, Modality modality, int bits, int prefixBits, int prefix, long stamp,
        IReadOnlyList<CodeRecord> records, long[] keys, ulong[] codes)
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
        _codes = codes;
        ValidateCodes(codes, HammingCode.WordCount(bits), bits, prefixBits, prefix);
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

    public IReadOnlyList<CodeRecord> Records { get; }

    /// <summary>The index key of each record (<see cref="PatchKey.Of"/> of its patch id), in record order.</summary>
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
            writer.Write(Source);
            writer.Write(Encoder);
            writer.Write(Modality.ToString());
            writer.Write(labels.Count);
            foreach (var label in labels) writer.Write(label);
            foreach (long key in _keys) writer.Write(key);
            foreach (ulong word in _codes) writer.Write(word);
            foreach (var record in Records)
            {
                writer.Write(record.PatchId);
                writer.Write(record.Blob);
                writer.Write(record.Stamp);
                writer.Write7BitEncodedInt(record.Labels.Count);
                foreach (var label in record.Labels) writer.Write7BitEncodedInt(labelIndex[label]);
            }
        }
        var checksum = XxHash3.HashToUInt64(body.GetBuffer().AsSpan(0, (int)body.Length));
        Span<byte> tail = stackalloc byte[ChecksumBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, checksum);
        body.Write(tail);
        return body.ToArray();
    }

    public static CodeShardSnapshot FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderBytes + ChecksumBytes)
            throw new ShardSnapshotFormatException($"{bytes.Length} bytes is shorter than a header and checksum.");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (magic != Magic) throw new ShardSnapshotFormatException($"magic is 0x{magic:x8}, expected 0x{Magic:x8}.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (version != Version) throw new ShardSnapshotFormatException($"version {version} is not supported (expected {Version}).");
        var content = bytes[..^ChecksumBytes];
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^ChecksumBytes..]);
        ulong actual = XxHash3.HashToUInt64(content);
        if (stored != actual) throw new ShardSnapshotFormatException($"checksum is 0x{stored:x16}, the content hashes to 0x{actual:x16} (torn or corrupt blob).");
        try
        {
            return Parse(content.ToArray());
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or FormatException or OverflowException or IOException)
        {
            throw new ShardSnapshotFormatException(e.Message);
        }
    }

    private static CodeShardSnapshot Parse(byte[] content)
    {
        using var reader = new BinaryReader(new MemoryStream(content, writable: false), Encoding.UTF8);
        reader.BaseStream.Position = 8; // magic and version were checked by the caller
        int bits = reader.ReadInt32();
        int prefixBits = reader.ReadInt32();
        int prefix = reader.ReadInt32();
        long stamp = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (!HammingCode.IsValidLength(bits))
            throw new ShardSnapshotFormatException($"code length {bits} is not a multiple of 8 in {HammingCode.MinBits}..{HammingCode.MaxBits}.");
        int words = HammingCode.WordCount(bits);
        // Each record takes at least its key and code words: a count beyond that is a lie, not an allocation to attempt.
        if (count < 0 || (long)count * (words + 1) * sizeof(ulong) > content.Length)
            throw new ShardSnapshotFormatException($"count {count} does not fit in {content.Length} bytes.");
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

        var keys = new long[count];
        var codes = new ulong[count * words];
        ReadWords(reader, MemoryMarshal.AsBytes(keys.AsSpan()), "keys");
        ReadWords(reader, MemoryMarshal.AsBytes(codes.AsSpan()), "codes");
        var shard = CodeRecord.ShardFor(encoder, modality, prefix);
        var records = new CodeRecord[count];
        var codeBytes = new byte[bits / 8];
        for (int i = 0; i < count; i++)
        {
            var patchId = reader.ReadString();
            var blob = reader.ReadString();
            long recordStamp = reader.ReadInt64();
            int n = reader.Read7BitEncodedInt();
            if (n < 0 || n > labelCount) throw new ShardSnapshotFormatException($"record {i} has {n} labels, the table {labelCount}.");
            var recordLabels = new string[n];
            for (int j = 0; j < n; j++)
            {
                int label = reader.Read7BitEncodedInt();
                if ((uint)label >= (uint)labelCount) throw new ShardSnapshotFormatException($"record {i} names label {label} of {labelCount}.");
                recordLabels[j] = labels[label];
            }
            for (int b = 0; b < codeBytes.Length; b++) codeBytes[b] = (byte)(codes[i * words + (b >> 3)] >> ((b & 7) * 8));
            records[i] = new CodeRecord(CodeRecord.IdFor(encoder, patchId), shard, patchId, encoder, modality,
                Convert.ToBase64String(codeBytes), recordLabels, blob) { Stamp = recordStamp };
        }
        if (reader.BaseStream.Position != content.Length)
            throw new ShardSnapshotFormatException($"{content.Length - reader.BaseStream.Position} bytes follow the last record.");
        return new CodeShardSnapshot(source, encoder, modality, bits, prefixBits, prefix, stamp, records, keys, codes);
    }

    private static void ReadWords(BinaryReader reader, Span<byte> target, string part)
    {
        if (reader.Read(target) != target.Length) throw new ShardSnapshotFormatException($"the blob ends inside the {part}.");
        if (!BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(target);
            BinaryPrimitives.ReverseEndianness(words, words);
        }
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

    private static void ValidateCodes(ulong[] codes, int words, int bits, int prefixBits, int prefix)
    {
        ulong prefixMask = (1UL << prefixBits) - 1;
        ulong beyond = bits % 64 == 0 ? 0 : ~0UL << (bits % 64);
        for (int i = 0; i < codes.Length; i += words)
        {
            if ((int)(codes[i] & prefixMask) != prefix) throw new ArgumentException($"code {i / words} is not in shard prefix {prefix}.");
            if ((codes[i + words - 1] & beyond) != 0) throw new ArgumentException($"code {i / words} has bits set beyond its {bits} bits.");
        }
    }
}
