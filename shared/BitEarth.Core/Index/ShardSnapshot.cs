using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>
/// One shard's keys and packed codes as a compact binary stream, the blob an index process loads once and refreshes.
/// Layout (little-endian): magic "BESH", version, bits, prefix bits, prefix, count (six 32-bit fields), then count
/// 64-bit keys, then count * ceil(bits/64) 64-bit code words.
/// </summary>
public sealed class ShardSnapshot
{
    public const uint Magic = 0x48534542; // "BESH" read as little-endian bytes
    public const int Version = 1;
    private const int HeaderBytes = 24;
    private const int ChunkBytes = 1 << 20;

    private readonly long[] _keys;
    private readonly ulong[] _codes;

    public ShardSnapshot(int bits, int prefixBits, int prefix, long[] keys, ulong[] codes)
    {
        HammingCode.ValidateBits(bits);
        if (prefixBits < 0 || prefixBits > 16) throw new ArgumentOutOfRangeException(nameof(prefixBits), "Prefix must be 0..16 bits.");
        if ((uint)prefix >= 1u << prefixBits) throw new ArgumentOutOfRangeException(nameof(prefix), $"A {prefixBits}-bit prefix is 0..{(1 << prefixBits) - 1}.");
        int words = HammingCode.WordCount(bits);
        if (codes.Length != (long)keys.Length * words)
            throw new ArgumentException($"{keys.Length} keys need {(long)keys.Length * words} code words, got {codes.Length}.", nameof(codes));
        ulong prefixMask = (1UL << prefixBits) - 1;
        ulong beyond = bits % 64 == 0 ? 0 : ~0UL << (bits % 64);
        for (int i = 0; i < keys.Length; i++)
        {
            if ((int)(codes[i * words] & prefixMask) != prefix) throw new ArgumentException($"Code {i} does not belong to shard {prefix}.", nameof(codes));
            if ((codes[i * words + words - 1] & beyond) != 0) throw new ArgumentException($"Code {i} has bits set beyond its {bits} bits.", nameof(codes));
        }
        Bits = bits;
        PrefixBits = prefixBits;
        Prefix = prefix;
        _keys = keys;
        _codes = codes;
    }

    public int Bits { get; }

    public int PrefixBits { get; }

    public int Prefix { get; }

    public int Count => _keys.Length;

    public ReadOnlySpan<long> Keys => _keys;

    public ReadOnlySpan<ulong> Codes => _codes;

    public async Task WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderBytes];
        WriteHeader(header);
        await stream.WriteAsync(header, cancellationToken);
        await WriteWordsAsync(stream, _keys, cancellationToken);
        await WriteWordsAsync(stream, _codes, cancellationToken);
    }

    public static async Task<ShardSnapshot> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var header = new byte[HeaderBytes];
        await ReadExactlyAsync(stream, header, "header", cancellationToken);
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        if (magic != Magic) throw new ShardSnapshotFormatException($"magic is 0x{magic:x8}, expected 0x{Magic:x8}.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
        if (version != Version) throw new ShardSnapshotFormatException($"version {version} is not supported (expected {Version}).");
        int bits = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        int prefixBits = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
        int prefix = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(16));
        int count = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(20));
        if (bits < HammingCode.MinBits || bits > HammingCode.MaxBits || bits % 8 != 0)
            throw new ShardSnapshotFormatException($"code length {bits} is not a multiple of 8 in {HammingCode.MinBits}..{HammingCode.MaxBits}.");
        // A shard travels as one blob; keeping each array under 2 GiB keeps byte offsets in int.
        if (count < 0 || (long)count * HammingCode.WordCount(bits) * sizeof(ulong) > int.MaxValue)
            throw new ShardSnapshotFormatException($"count {count} is out of range.");
        var keys = new long[count];
        var codes = new ulong[count * HammingCode.WordCount(bits)];
        await ReadWordsAsync(stream, keys, "keys", cancellationToken);
        await ReadWordsAsync(stream, codes, "codes", cancellationToken);
        try
        {
            return new ShardSnapshot(bits, prefixBits, prefix, keys, codes);
        }
        catch (ArgumentException e)
        {
            throw new ShardSnapshotFormatException(e.Message);
        }
    }

    private void WriteHeader(Span<byte> header)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], Bits);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], PrefixBits);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], Prefix);
        BinaryPrimitives.WriteInt32LittleEndian(header[20..], Count);
    }

    // Words go through a reused byte buffer in chunks: spans cannot cross awaits, and the wire stays little-endian.
    private static async Task WriteWordsAsync<T>(Stream stream, T[] words, CancellationToken cancellationToken) where T : unmanaged
    {
        var buffer = new byte[ChunkBytes];
        int total = words.Length * sizeof(ulong);
        for (int offset = 0; offset < total; offset += ChunkBytes)
        {
            int n = Math.Min(ChunkBytes, total - offset);
            CopyOut(words, offset, buffer.AsSpan(0, n));
            await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
        }
    }

    private static async Task ReadWordsAsync<T>(Stream stream, T[] words, string part, CancellationToken cancellationToken) where T : unmanaged
    {
        var buffer = new byte[Math.Min(ChunkBytes, words.Length * sizeof(ulong))];
        int total = words.Length * sizeof(ulong);
        for (int offset = 0; offset < total; offset += ChunkBytes)
        {
            int n = Math.Min(ChunkBytes, total - offset);
            await ReadExactlyAsync(stream, buffer.AsMemory(0, n), part, cancellationToken);
            CopyIn(buffer.AsSpan(0, n), words, offset);
        }
    }

    private static void CopyOut<T>(T[] words, int offset, Span<byte> chunk) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(words.AsSpan()).Slice(offset, chunk.Length);
        bytes.CopyTo(chunk);
        if (!BitConverter.IsLittleEndian) ReverseWords(chunk);
    }

    private static void CopyIn<T>(ReadOnlySpan<byte> chunk, T[] words, int offset) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(words.AsSpan()).Slice(offset, chunk.Length);
        chunk.CopyTo(bytes);
        if (!BitConverter.IsLittleEndian) ReverseWords(bytes);
    }

    private static void ReverseWords(Span<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        BinaryPrimitives.ReverseEndianness(words, words);
    }

    private static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, string part, CancellationToken cancellationToken)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException)
        {
            throw new ShardSnapshotFormatException($"stream ends inside the {part}.");
        }
    }
}
