namespace BitEarth.Core.Thumbnails;

/// <summary>An 8-bit RGB raster, rows top to bottom, pixels interleaved (r, g, b).</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != width * height * 3)
            throw new ArgumentException($"{width}x{height} RGB needs {width * height * 3} bytes, got {pixels.Length}.", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public byte[] Pixels { get; }

    /// <summary>
    /// Nearest-neighbour resample so the longer side is <paramref name="size"/>: each output pixel is a pixel the patch
    /// has (no invented colours), and upscaled thumbnails stay sharp.
    /// </summary>
    public RgbImage Resize(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        int width = Width >= Height ? size : Math.Max(1, (int)Math.Round((double)size * Width / Height));
        int height = Height >= Width ? size : Math.Max(1, (int)Math.Round((double)size * Height / Width));
        if (width == Width && height == Height) return this;
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int sy = (int)((long)y * Height / height);
            for (int x = 0; x < width; x++)
            {
                int sx = (int)((long)x * Width / width);
                Pixels.AsSpan((sy * Width + sx) * 3, 3).CopyTo(pixels.AsSpan((y * width + x) * 3, 3));
            }
        }
        return new RgbImage(width, height, pixels);
    }
}
