using BitEarth.Core.Patches;

namespace BitEarth.Core.Thumbnails;

/// <summary>
/// A patch as a picture a person reads at a glance. Sentinel-2: true colour (B04, B03, B02) with one robust linear
/// stretch over the three bands together, from the 2nd to the 98th percentile of their values, so colour balance is
/// kept and a few bright or dark pixels (clouds, shadows) do not wash the image out. Sentinel-1: false colour from
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
        var all = new float[red.Length * 3];
        red.CopyTo(all);
        green.CopyTo(all.AsSpan(red.Length));
        blue.CopyTo(all.AsSpan(2 * red.Length));
        Array.Sort(all);
        float low = all[(int)(LowPercentile * (all.Length - 1))];
        float high = all[(int)(HighPercentile * (all.Length - 1))];
        if (high <= low) high = low + 1; // a flat patch renders as one grey, not a division by zero
        return Compose(patch, red, low, high, green, low, high, blue, low, high);
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
