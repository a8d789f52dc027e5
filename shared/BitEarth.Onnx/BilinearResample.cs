namespace BitEarth.Onnx;

/// <summary>
/// Bilinear resampling of one band to a network's square input: pixel centres aligned (source position
/// (i + 0.5) * scale - 0.5), edges clamped. Shared by the trained packages' and the pretrained encoder's input.
/// </summary>
internal static class BilinearResample
{
    public static void Into(ReadOnlySpan<float> source, int width, int height, Span<float> target, int size)
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
                target[y * size + x] = top * (1 - wy) + bottom * wy;
            }
        }
    }
}
