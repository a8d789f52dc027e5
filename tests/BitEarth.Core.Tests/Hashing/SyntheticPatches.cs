using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Hashing;

/// <summary>
/// Synthetic patches for hasher tests: each land-cover class has a fixed 12-band reflectance spectrum; a patch is a
/// left half of one class and a right half of another (labels: both), scaled by a random per-patch illumination
/// (0.3..3), a random per-patch gain per band (+-50%, like atmosphere and phenology) and +-30% per-pixel noise, so class
/// identity lives in spectral shape under strong nuisances.
/// </summary>
internal static class SyntheticPatches
{
    public static readonly string[] Classes = ["water", "forest", "crop", "urban", "bare"];

    /// <summary>Typical reflectance x 10000 per class in Bands.S2 order.</summary>
    private static readonly float[][] Spectra =
    [
        [600, 500, 450, 300, 250, 200, 180, 150, 140, 100, 60, 40],
        [300, 250, 450, 250, 700, 2200, 2700, 3000, 3100, 3000, 1500, 700],
        [500, 550, 800, 900, 1300, 1900, 2200, 2400, 2500, 2400, 2600, 1800],
        [1200, 1300, 1400, 1500, 1550, 1600, 1650, 1700, 1750, 1700, 2100, 1900],
        [1000, 1200, 1600, 2000, 2200, 2400, 2500, 2600, 2700, 2750, 3200, 2900],
    ];

    public static Patch S2(string id, int leftClass, int rightClass, float brightness, int size, Random random)
    {
        var gain = Enumerable.Range(0, Bands.S2.Count).Select(_ => 1 + 0.5f * (float)(random.NextDouble() * 2 - 1)).ToArray();
        int area = size * size;
        var pixels = new float[Bands.S2.Count * area];
        for (int b = 0; b < Bands.S2.Count; b++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    int cls = x < size / 2 ? leftClass : rightClass;
                    float noise = gain[b] + 0.3f * (float)(random.NextDouble() * 2 - 1);
                    pixels[b * area + y * size + x] = Spectra[cls][b] * brightness * noise;
                }
        var labels = new[] { Classes[leftClass], Classes[rightClass] }.Distinct().ToArray();
        return new Patch(id, Modality.S2, size, size, Bands.S2, pixels, labels);
    }

    public static Patch Uniform(string id, float[] spectrum, int size) => Filled(id, size, size, (b, _, _) => spectrum[b]);

    public static Patch Filled(string id, int width, int height, Func<int, int, int, float> valueAt)
    {
        var pixels = new float[Bands.S2.Count * width * height];
        for (int b = 0; b < Bands.S2.Count; b++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++) pixels[b * width * height + y * width + x] = valueAt(b, x, y);
        return new Patch(id, Modality.S2, width, height, Bands.S2, pixels, []);
    }

    public static Patch S1(string id, float vv, float vh, int size, Random random)
    {
        int area = size * size;
        var pixels = new float[2 * area];
        for (int i = 0; i < area; i++)
        {
            // Speckle: multiplicative exponential intensity noise, i.e. additive in dB.
            pixels[i] = vv + 10 * MathF.Log10(-MathF.Log(1 - (float)random.NextDouble() * 0.999f));
            pixels[area + i] = vh + 10 * MathF.Log10(-MathF.Log(1 - (float)random.NextDouble() * 0.999f));
        }
        return new Patch(id, Modality.S1, size, size, Bands.S1, pixels, []);
    }

    /// <summary>A labelled set: random class pairs (half the time a single class).</summary>
    public static List<Patch> LabelledSet(string prefix, int count, int size, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            int left = random.Next(Classes.Length);
            int right = random.Next(2) == 0 ? left : random.Next(Classes.Length);
            float brightness = 0.3f + 2.7f * (float)random.NextDouble();
            return S2($"{prefix}{i:D4}", left, right, brightness, size, random);
        }).ToList();
    }

    public static float[] Spectrum(int cls) => Spectra[cls];
}
