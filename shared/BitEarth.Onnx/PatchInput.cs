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
        float sx = (float)width / size, sy = (float)height / size;
        for (int y = 0; y < size; y++)
        {
            float fy = Math.Clamp((y + 0.5f) * sy - 0.5f, 0, height - 1);
            int y0 = (int)fy, y1 = Math.Min(y0 + 1, height - 1);
            float wy = fy - y0;
            for (int x = 0; x < size; x++)
            {
                float fx = Math.Clamp((x + 0.5f) * sx - 0.5f, 0, width - 1);
                int x0 = (int)fx, x1 = Math.Min(x0 + 1, width - 1);
                float wx = fx - x0;
                float top = source[y0 * width + x0] * (1 - wx) + source[y0 * width + x1] * wx;
                float bottom = source[y1 * width + x0] * (1 - wx) + source[y1 * width + x1] * wx;
                float value = top * (1 - wy) + bottom * wy;
                target[y * size + x] = float.IsFinite(value) ? (value - mean) * invStd : 0f;
            }
        }
    }
}
