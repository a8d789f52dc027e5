using System.Buffers.Binary;

namespace BitEarth.Core.Residency;

/// <summary>The fixed parts of the shard snapshot layout that its writer and both readers share.</summary>
internal static class ShardSnapshotLayout
{
    public const uint Magic = 0x53434542; // "BECS" read as little-endian bytes
    public const int Version = 2;

    /// <summary>Magic, version, bits, prefix bits, prefix, stamp, count, then the index section's length (64-bit).</summary>
    public const int FixedHeaderBytes = 40;

    public const int ChecksumBytes = sizeof(ulong);

    /// <summary>Bytes of an entry read at once: most entries fit, a longer one is read again whole.</summary>
    public const int EntryReadBytes = 512;

    /// <summary>The longest entry a writer writes (an id, a blob name, labels): a longer length read is not an entry.</summary>
    public const int MaxEntryBytes = 1 << 16;

    /// <summary>Checks magic and version and returns the index section's length (checksum included).</summary>
    public static long IndexLength(ReadOnlySpan<byte> header)
    {
        if (header.Length < FixedHeaderBytes)
            throw new ShardSnapshotFormatException($"{header.Length} bytes is shorter than the {FixedHeaderBytes}-byte header.");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic != Magic) throw new ShardSnapshotFormatException($"magic is 0x{magic:x8}, expected 0x{Magic:x8}.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (version != Version) throw new ShardSnapshotFormatException($"version {version} is not supported (expected {Version}).");
        long length = BinaryPrimitives.ReadInt64LittleEndian(header[32..]);
        if (length < FixedHeaderBytes + ChecksumBytes)
            throw new ShardSnapshotFormatException($"index section length {length} is shorter than a header and checksum.");
        return length;
    }

    public static void ValidateCodes(ReadOnlySpan<ulong> codes, int words, int bits, int prefixBits, int prefix)
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
