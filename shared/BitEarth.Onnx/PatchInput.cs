using BitEarth.Core.Patches;

namespace BitEarth.Onnx;

/// <summary>
/// Turns a patch into network input: bands in the encoder's order, normalised with the training statistics and
/// resampled bilinearly (pixel centres aligned, as torch's align_corners=false) to the square input size.
/// Training and every hasher use this one routine, so codes match across hosts.
/// </summary>
public static class PatchInput
{
    public static void Prepare(Patch patch, ModalityEncoder encoder, Span<float> destination)
    {
        int size = encoder.InputSize;
        if (destination.Length != encoder.Bands.Count * size * size)
            throw new ArgumentException($"Destination needs {encoder.Bands.Count * size * size} floats.", nameof(destination));
        if (patch.Pixels.Length != patch.BandCount * patch.Width * patch.Height)
            throw new PatchFormatException(patch.Id, $"has {patch.Pixels.Length} pixels, expected {patch.BandCount}x{patch.Width}x{patch.Height}");
        for (int b = 0; b < encoder.Bands.Count; b++)
        {
            int source = IndexOf(patch.BandNames, encoder.Bands[b]);
            if (source < 0) throw new PatchFormatException(patch.Id, $"lacks band {encoder.Bands[b]} the encoder needs");
            Resample(patch.Band(source), patch.Width, patch.Height, destination.Slice(b * size * size, size * size), size,
                encoder.Mean[b], 1f / encoder.Std[b]);
        }
    }

    public static float[] Prepare(Patch patch, ModalityEncoder encoder)
    {
        var input = new float[encoder.Bands.Count * encoder.InputSize * encoder.InputSize];
        Prepare(patch, encoder, input);
        return input;
    }

    private static int IndexOf(IReadOnlyList<string> names, string band)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], band, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static void Resample(ReadOnlySpan<float> source, int width, int height, Span<float> target, int size, float mean, float invStd)
    {
        BilinearResample.Into(source, width, height, target, size);
        for (int i = 0; i < target.Length; i++)
            target[i] = float.IsFinite(target[i]) ? (target[i] - mean) * invStd : 0f;
    }
}
