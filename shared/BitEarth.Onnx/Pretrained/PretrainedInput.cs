using BitEarth.Core.Patches;

namespace BitEarth.Onnx.Pretrained;

/// <summary>
/// A patch as the ImageNet ResNet-18 of the featurizer package expects its input: 3 x size x size, channels in BGR order,
/// 0..255 minus the per-channel mean of the package's ResNetPreprocess.onnx (which splits RGB, reorders to BGR and
/// subtracts a 224 x 224 mean image; its channel means are used here so the patch size does not matter).
/// Sentinel-2: true colour, B04/B03/B02 as R/G/B, reflectance 0..0.3 (digital numbers 0..3000) stretched linearly to
/// 0..255 and clipped, the usual true-colour display range. Sentinel-1: R = VV over -25..0 dB, G = VH over -30..-5 dB,
/// B = VV - VH over 0..15 dB, each stretched linearly to 0..255 and clipped. Resampled bilinearly (pixel centres aligned).
/// </summary>
public static class PretrainedInput
{
    /// <summary>Names this mapping in hasher files: change it with any change to the stretch, order or size.</summary>
    public const string Version = "bgr160-s2rgb0to3000-s1vv25vh30diff15";

    /// <summary>
    /// 160, not the 224 of ImageNet: on the 120 EuroSAT patches (64 x 64 px) ITQ-64 retrieval was the same within noise
    /// (P@10 0.502 vs 0.509, mAP@10 0.688 vs 0.678) at 2.5x less network time (51 vs 125 ms a patch, batch 16, load 24).
    /// Sizes must be multiples of 32 (the network's total stride); 128 lost more (P@10 0.490).
    /// </summary>
    public const int DefaultSize = 160;

    public static int Length(int size) => 3 * size * size;

    /// <summary>Channel means of the mean image in ResNetPreprocess.onnx, in the network's B, G, R order.</summary>
    private static readonly float[] ChannelMeans = [103.063f, 115.903f, 123.152f];

    private const float ReflectanceFullScale = 3000f;

    public static void Prepare(Patch patch, int size, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(patch);
        if (destination.Length != Length(size)) throw new ArgumentException($"Destination needs {Length(size)} floats.", nameof(destination));
        if (patch.Pixels.Length != patch.BandCount * patch.Width * patch.Height)
            throw new PatchFormatException(patch.Id, $"has {patch.Pixels.Length} pixels, expected {patch.BandCount}x{patch.Width}x{patch.Height}");
        var plane = size * size;
        var red = destination.Slice(2 * plane, plane);
        var green = destination.Slice(plane, plane);
        var blue = destination[..plane];
        if (patch.Modality == Modality.S2)
        {
            Resample(patch, "B04", size, red);
            Resample(patch, "B03", size, green);
            Resample(patch, "B02", size, blue);
            Display(red, 0, 255f / ReflectanceFullScale, ChannelMeans[2]);
            Display(green, 0, 255f / ReflectanceFullScale, ChannelMeans[1]);
            Display(blue, 0, 255f / ReflectanceFullScale, ChannelMeans[0]);
        }
        else
        {
            Resample(patch, "VV", size, red);
            Resample(patch, "VH", size, green);
            for (int i = 0; i < plane; i++) blue[i] = red[i] - green[i]; // the ratio in dB, from the resampled bands
            Display(red, 25f, 255f / 25f, ChannelMeans[2]);
            Display(green, 30f, 255f / 25f, ChannelMeans[1]);
            Display(blue, 0, 255f / 15f, ChannelMeans[0]);
        }
    }

    /// <summary>(value + offset) x gain clipped to 0..255, minus the network's channel mean; non-finite values count as 0.</summary>
    private static void Display(Span<float> channel, float offset, float gain, float mean)
    {
        for (int i = 0; i < channel.Length; i++)
        {
            float v = (channel[i] + offset) * gain;
            channel[i] = (float.IsFinite(v) ? Math.Clamp(v, 0f, 255f) : 0f) - mean;
        }
    }

    private static void Resample(Patch patch, string band, int size, Span<float> target)
    {
        int index = -1;
        for (int i = 0; i < patch.BandCount; i++)
            if (string.Equals(patch.BandNames[i], band, StringComparison.OrdinalIgnoreCase)) { index = i; break; }
        if (index < 0) throw new PatchFormatException(patch.Id, $"lacks band {band} the pretrained encoder needs");
        BilinearResample.Into(patch.Band(index), patch.Width, patch.Height, target, size);
    }
}
