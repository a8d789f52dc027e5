using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BitEarth.Core.Synthetic;

/// <summary>
/// Writes one band as a baseline little-endian TIFF with a single uncompressed strip, the shape of BigEarthNet's
/// band files. Hand-written because the layout is fixed and LibTiff's per-file set-up cost several milliseconds,
/// too much for a demo archive of thousands of files; the readers still decode these files with LibTiff.
/// </summary>
public static class BandTiffWriter
{
    private const int TagCount = 11;
    private const int DataOffset = 8 + 2 + TagCount * 12 + 4;

    /// <summary>A Sentinel-2 reflectance band (or a CORINE reference map): uint16 samples.</summary>
    public static byte[] Reflectance(int width, int height, ReadOnlySpan<ushort> pixels) =>
        Write(width, height, bits: 16, sampleFormat: 1, MemoryMarshal.AsBytes(pixels));

    /// <summary>A Sentinel-1 backscatter band in dB: float32 samples.</summary>
    public static byte[] Backscatter(int width, int height, ReadOnlySpan<float> pixels) =>
        Write(width, height, bits: 32, sampleFormat: 3, MemoryMarshal.AsBytes(pixels));

    private static byte[] Write(int width, int height, int bits, int sampleFormat, ReadOnlySpan<byte> data)
    {
        if (width < 1 || height < 1 || data.Length != width * height * bits / 8)
            throw new ArgumentException($"{data.Length} bytes do not fill {width}x{height} at {bits} bits");
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("pixels are copied as little-endian");
        var tiff = new byte[DataOffset + data.Length];
        tiff[0] = tiff[1] = (byte)'I';
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), TagCount);
        int entry = 10;
        void Tag(ushort tag, ushort type, uint value)
        {
            var span = tiff.AsSpan(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(span, tag);
            BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 1);
            if (type == 3)
                BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)value);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(span[8..], value);
            entry += 12;
        }
        const ushort Short = 3, Long = 4;
        // Tags in ascending order, as TIFF 6.0 requires.
        Tag(256, Long, (uint)width);          // ImageWidth
        Tag(257, Long, (uint)height);         // ImageLength
        Tag(258, Short, (uint)bits);          // BitsPerSample
        Tag(259, Short, 1);                   // Compression: none
        Tag(262, Short, 1);                   // Photometric: min-is-black
        Tag(273, Long, DataOffset);           // StripOffsets
        Tag(277, Short, 1);                   // SamplesPerPixel
        Tag(278, Long, (uint)height);         // RowsPerStrip: one strip
        Tag(279, Long, (uint)data.Length);    // StripByteCounts
        Tag(284, Short, 1);                   // PlanarConfiguration: contiguous
        Tag(339, Short, (uint)sampleFormat);  // SampleFormat: 1 unsigned, 3 IEEE float
        // The 4 bytes after the entries stay 0: no further image directory.
        data.CopyTo(tiff.AsSpan(DataOffset));
        return tiff;
    }
}
