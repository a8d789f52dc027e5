using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;

namespace BitEarth.Core.Patches;

/// <summary>A decoded TIFF image: every sample plane as float, band-major (band b, row y, column x).</summary>
internal sealed record TiffRaster(int Width, int Height, int Bands, float[] Pixels)
{
    // Bounds far above any patch we accept (EuroSAT is 64x64x13) so a forged header cannot make us allocate much.
    private const int MaxSide = 4096;
    private const int MaxBands = 64;
    private const long MaxSamples = 1 << 22;

    /// <summary>Decodes the first image of a TIFF file; any defect becomes a <see cref="PatchFormatException"/>.</summary>
    public static TiffRaster Decode(string file, byte[] bytes)
    {
        QuietTiffErrors.Install();
        QuietTiffErrors.TakeLastError();
        TiffDirectoryCheck.Require(file, bytes);
        try
        {
            using var tiff = Tiff.ClientOpen(file, "r", new MemoryStream(bytes, writable: false), new TiffStream())
                ?? throw Bad(file, "not a readable TIFF");
            return Read(file, tiff);
        }
        catch (PatchFormatException) { throw; }
        catch (Exception e)
        {
            // LibTiff throws assorted runtime exceptions (index, overflow, argument) on forged offsets and counts.
            throw new PatchFormatException(file, "corrupt TIFF (its directory or image data cannot be decoded)", e);
        }
    }

    private static TiffRaster Read(string file, Tiff tiff)
    {
        int width = Int(tiff, TiffTag.IMAGEWIDTH, file);
        int height = Int(tiff, TiffTag.IMAGELENGTH, file);
        int bands = IntOr(tiff, TiffTag.SAMPLESPERPIXEL, 1);
        int bits = IntOr(tiff, TiffTag.BITSPERSAMPLE, 1);
        var format = (SampleFormat)IntOr(tiff, TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT);
        var planar = (PlanarConfig)IntOr(tiff, TiffTag.PLANARCONFIG, (int)PlanarConfig.CONTIG);

        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide)
            throw Bad(file, $"implausible size {width}x{height}");
        if (bands is < 1 or > MaxBands)
            throw Bad(file, $"implausible sample count {bands}");
        if ((long)width * height * bands > MaxSamples)
            throw Bad(file, $"{width}x{height}x{bands} samples exceed {MaxSamples}");
        var convert = Converter(file, format, bits);
        int bytesPerSample = bits / 8;

        var pixels = new float[(long)bands * width * height];
        if (tiff.IsTiled())
            ReadTiles(file, tiff, width, height, bands, bytesPerSample, planar, convert, pixels);
        else
            ReadStrips(file, tiff, width, height, bands, bytesPerSample, planar, convert, pixels);
        return new TiffRaster(width, height, bands, pixels);
    }

    private static void ReadStrips(string file, Tiff tiff, int width, int height, int bands, int bytesPerSample,
        PlanarConfig planar, Action<ReadOnlySpan<byte>, Span<float>> convert, float[] pixels)
    {
        int planes = planar == PlanarConfig.SEPARATE ? bands : 1;
        int perPixel = planes == 1 ? bands : 1;
        var samples = new float[width * perPixel];
        var row = new byte[Math.Max(tiff.ScanlineSize(), width * perPixel * bytesPerSample)];
        for (short plane = 0; plane < planes; plane++)
            for (int y = 0; y < height; y++)
            {
                if (!tiff.ReadScanline(row, y, plane))
                    throw Bad(file, $"cannot read row {y}" + Because());
                convert(row.AsSpan(0, width * perPixel * bytesPerSample), samples.AsSpan(0, width * perPixel));
                Scatter(samples, perPixel, plane, y, 0, width, width, height, pixels);
            }
    }

    private static void ReadTiles(string file, Tiff tiff, int width, int height, int bands, int bytesPerSample,
        PlanarConfig planar, Action<ReadOnlySpan<byte>, Span<float>> convert, float[] pixels)
    {
        int tileWidth = Int(tiff, TiffTag.TILEWIDTH, file);
        int tileHeight = Int(tiff, TiffTag.TILELENGTH, file);
        if (tileWidth is < 1 or > MaxSide || tileHeight is < 1 or > MaxSide)
            throw Bad(file, $"implausible tile size {tileWidth}x{tileHeight}");
        int planes = planar == PlanarConfig.SEPARATE ? bands : 1;
        int perPixel = planes == 1 ? bands : 1;
        var tile = new byte[Math.Max(tiff.TileSize(), tileWidth * tileHeight * perPixel * bytesPerSample)];
        var samples = new float[tileWidth * tileHeight * perPixel];
        for (short plane = 0; plane < planes; plane++)
            for (int ty = 0; ty < height; ty += tileHeight)
                for (int tx = 0; tx < width; tx += tileWidth)
                {
                    if (tiff.ReadTile(tile, 0, tx, ty, 0, plane) < 0)
                        throw Bad(file, $"cannot read tile at {tx},{ty}" + Because());
                    convert(tile.AsSpan(0, samples.Length * bytesPerSample), samples);
                    for (int y = 0; y < tileHeight && ty + y < height; y++)
                        Scatter(samples.AsSpan(y * tileWidth * perPixel), perPixel, plane, ty + y, tx,
                            Math.Min(tileWidth, width - tx), width, height, pixels);
                }
    }

    // Copies one decoded run of pixels (interleaved when perPixel > 1) into the band-major output.
    private static void Scatter(ReadOnlySpan<float> run, int perPixel, int plane, int y, int x0, int count,
        int width, int height, float[] pixels)
    {
        for (int s = 0; s < perPixel; s++)
        {
            int band = perPixel == 1 ? plane : s;
            var target = pixels.AsSpan(band * width * height + y * width + x0, count);
            for (int x = 0; x < count; x++)
                target[x] = run[x * perPixel + s];
        }
    }

    private static Action<ReadOnlySpan<byte>, Span<float>> Converter(string file, SampleFormat format, int bits) =>
        (format, bits) switch
        {
            (SampleFormat.UINT, 8) => (src, dst) => { for (int i = 0; i < dst.Length; i++) dst[i] = src[i]; },
            (SampleFormat.INT, 8) => (src, dst) => { for (int i = 0; i < dst.Length; i++) dst[i] = (sbyte)src[i]; },
            (SampleFormat.UINT, 16) => (src, dst) => Widen(MemoryMarshal.Cast<byte, ushort>(src), dst),
            (SampleFormat.INT, 16) => (src, dst) => Widen(MemoryMarshal.Cast<byte, short>(src), dst),
            (SampleFormat.UINT, 32) => (src, dst) => Widen(MemoryMarshal.Cast<byte, uint>(src), dst),
            (SampleFormat.INT, 32) => (src, dst) => Widen(MemoryMarshal.Cast<byte, int>(src), dst),
            (SampleFormat.IEEEFP, 32) => (src, dst) => MemoryMarshal.Cast<byte, float>(src)[..dst.Length].CopyTo(dst),
            (SampleFormat.IEEEFP, 64) => (src, dst) => Widen(MemoryMarshal.Cast<byte, double>(src), dst),
            _ => throw Bad(file, $"unsupported sample type {format} {bits}-bit"),
        };

    private static void Widen<T>(ReadOnlySpan<T> src, Span<float> dst) where T : struct, IConvertible
    {
        for (int i = 0; i < dst.Length; i++)
            dst[i] = src[i].ToSingle(null);
    }

    private static int Int(Tiff tiff, TiffTag tag, string file) =>
        tiff.GetField(tag) is { Length: > 0 } value ? value[0].ToInt() : throw Bad(file, $"missing TIFF tag {tag}");

    private static int IntOr(Tiff tiff, TiffTag tag, int fallback) =>
        tiff.GetField(tag) is { Length: > 0 } value ? value[0].ToInt() : fallback;

    private static string Because() => QuietTiffErrors.TakeLastError() is { } error ? $" ({error})" : "";

    private static PatchFormatException Bad(string file, string reason) => new(file, reason);
}
