using BitEarth.Core.Patches;

namespace BitEarth.Core.Thumbnails;

/// <summary>
/// A patch as a picture a person reads at a glance. Sentinel-2: true colour (B04, B03, B02), each band stretched
/// linearly from its own 2nd to its 98th percentile, so a few bright or dark pixels (clouds, shadows) do not wash the
/// image out and the blue haze of top-of-atmosphere (L1C, EuroSAT) reflectance does not tint every patch blue. Sentinel-1: false colour from
/// backscatter in dB with a fixed stretch, the same for every patch so brightness compares across patches:
/// red = VV over [<see cref="VvMinDb"/>, <see cref="VvMaxDb"/>], green = VH over [<see cref="VhMinDb"/>,
/// <see cref="VhMaxDb"/>], blue = VV/VH (VV dB - VH dB) over [<see cref="RatioMinDb"/>, <see cref="RatioMaxDb"/>].
/// </summary>
public static class ThumbnailRenderer
{
    public const double LowPercentile = 0.02;
    public const double HighPercentile = 0.98;
    public const float VvMinDb = -25f, VvMaxDb = 0f;
    public const float VhMinDb = -32f, VhMaxDb = -5f;
    public const float RatioMinDb = 0f, RatioMaxDb = 15f;

    public static RgbImage Render(Patch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return patch.Modality == Modality.S1 ? FalseColour(patch) : TrueColour(patch);
    }

    private static RgbImage TrueColour(Patch patch)
    {
        var red = Band(patch, "B04");
        var green = Band(patch, "B03");
        var blue = Band(patch, "B02");
        var (rLow, rHigh) = Percentiles(red);
        var (gLow, gHigh) = Percentiles(green);
        var (bLow, bHigh) = Percentiles(blue);
        return Compose(patch, red, rLow, rHigh, green, gLow, gHigh, blue, bLow, bHigh);
    }

    private static (float Low, float High) Percentiles(ReadOnlySpan<float> band)
    {
        var sorted = band.ToArray();
        Array.Sort(sorted);
        float low = sorted[(int)(LowPercentile * (sorted.Length - 1))];
        float high = sorted[(int)(HighPercentile * (sorted.Length - 1))];
        return (low, high > low ? high : low + 1); // a flat band renders as one level, not a division by zero
    }

    private static RgbImage FalseColour(Patch patch)
    {
        var vv = Band(patch, "VV");
        var vh = Band(patch, "VH");
        var ratio = new float[vv.Length];
        for (int i = 0; i < ratio.Length; i++) ratio[i] = vv[i] - vh[i];
        return Compose(patch, vv, VvMinDb, VvMaxDb, vh, VhMinDb, VhMaxDb, ratio, RatioMinDb, RatioMaxDb);
    }

    private static RgbImage Compose(Patch patch, ReadOnlySpan<float> r, float rLow, float rHigh, ReadOnlySpan<float> g, float gLow,
        float gHigh, ReadOnlySpan<float> b, float bLow, float bHigh)
    {
        var pixels = new byte[patch.Width * patch.Height * 3];
        for (int i = 0; i < r.Length; i++)
        {
            pixels[3 * i] = Stretch(r[i], rLow, rHigh);
            pixels[3 * i + 1] = Stretch(g[i], gLow, gHigh);
            pixels[3 * i + 2] = Stretch(b[i], bLow, bHigh);
        }
        return new RgbImage(patch.Width, patch.Height, pixels);
    }

    private static byte Stretch(float value, float low, float high) =>
        (byte)Math.Clamp(MathF.Round((value - low) / (high - low) * 255f), 0f, 255f);

    private static ReadOnlySpan<float> Band(Patch patch, string name)
    {
        int index = patch.BandNames.ToList().IndexOf(name);
        if (index < 0) throw new PatchFormatException(patch.Id, $"no band {name} for a thumbnail");
        return patch.Band(index);
    }
}
