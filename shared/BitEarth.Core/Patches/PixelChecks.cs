namespace BitEarth.Core.Patches;

internal static class PixelChecks
{
    public static void RequireFinite(string file, ReadOnlySpan<float> pixels)
    {
        for (int i = 0; i < pixels.Length; i++)
            if (!float.IsFinite(pixels[i]))
                throw new PatchFormatException(file, $"non-finite pixel value {pixels[i]} at sample {i}");
    }
}
