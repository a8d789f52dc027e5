using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Archive;

/// <summary>Writes one band as a single-strip, uncompressed GeoTIFF-compatible TIFF, as BigEarthNet distributes them.</summary>
public static class BandTiffWriter
{
    public static byte[] UInt16(int width, int height, ReadOnlySpan<ushort> pixels) =>
        Write(width, height, 16, SampleFormat.UINT, MemoryMarshal.AsBytes(pixels));

    public static byte[] Float32(int width, int height, ReadOnlySpan<float> pixels) =>
        Write(width, height, 32, SampleFormat.IEEEFP, MemoryMarshal.AsBytes(pixels));

    private static byte[] Write(int width, int height, int bits, SampleFormat format, ReadOnlySpan<byte> data)
    {
        if (data.Length != width * height * bits / 8)
            throw new ArgumentException($"{data.Length} bytes do not fill {width}x{height} at {bits} bits");
        QuietTiffErrors.Install();
        var buffer = new MemoryStream();
        using (var tiff = Tiff.ClientOpen("band.tif", "w", buffer, new TiffStream()))
        {
            tiff.SetField(TiffTag.IMAGEWIDTH, width);
            tiff.SetField(TiffTag.IMAGELENGTH, height);
            tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
            tiff.SetField(TiffTag.BITSPERSAMPLE, bits);
            tiff.SetField(TiffTag.SAMPLEFORMAT, format);
            tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
            tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
            tiff.SetField(TiffTag.COMPRESSION, Compression.NONE);
            tiff.SetField(TiffTag.ROWSPERSTRIP, height);
            if (tiff.WriteEncodedStrip(0, data.ToArray(), data.Length) < 0)
                throw new InvalidOperationException("LibTiff could not write the strip: " + QuietTiffErrors.TakeLastError());
        }
        return buffer.ToArray();
    }
}
