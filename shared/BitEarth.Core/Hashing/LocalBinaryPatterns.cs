using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Texture as rotation-invariant uniform local binary patterns (Ojala, Pietikäinen &amp; Mäenpää, TPAMI 2002), LBP^riu2
/// with 8 neighbours at radius 1 and at radius 2 (nearest pixel), on the bands where texture tells land cover apart:
/// S2 B02, B03, B04, B08, B11; S1 VV, VH. Per band and radius a normalised 10-bin histogram: bins 0..8 count the set
/// neighbours of a uniform pattern (at most two 0/1 transitions around the circle), bin 9 every other pattern. Ratios
/// between neighbours do not matter, only their order against the centre, so the descriptor ignores gain and offset
/// (illumination, calibration). Pixels whose neighbourhood holds a non-finite value are skipped.
/// </summary>
public static class LocalBinaryPatterns
{
    public const string Version = "lbp-v1";

    private const int Neighbours = 8;
    private const int Bins = Neighbours + 2;
    private static readonly int[] Radii = [1, 2];

    private static readonly IReadOnlyList<string> S2TextureBands = ["B02", "B03", "B04", "B08", "B11"];
    private static readonly IReadOnlyList<string> S1TextureBands = ["VV", "VH"];

    /// <summary>Unit circle offsets of the 8 neighbours, counter-clockwise from east.</summary>
    private static readonly (double Dx, double Dy)[] Circle = Enumerable.Range(0, Neighbours)
        .Select(i => (Math.Cos(2 * Math.PI * i / Neighbours), -Math.Sin(2 * Math.PI * i / Neighbours))).ToArray();

    public static int Length(Modality modality) => TextureBands(modality).Count * Radii.Length * Bins;

    public static double[] Compute(Patch patch)
    {
        var features = new double[Length(patch.Modality)];
        Compute(patch, features);
        return features;
    }

    public static void Compute(Patch patch, Span<double> output)
    {
        var bands = TextureBands(patch.Modality);
        if (output.Length != Length(patch.Modality))
            throw new ArgumentException($"LBP of {patch.Modality} has {Length(patch.Modality)} features, not {output.Length}.", nameof(output));
        output.Clear();
        for (int b = 0; b < bands.Count; b++)
        {
            int index = SpectralDescriptor.IndexOf(patch.BandNames, bands[b]);
            if (index < 0) throw new ArgumentException($"Patch {patch.Id} ({patch.Modality}) lacks band {bands[b]}.", nameof(patch));
            for (int r = 0; r < Radii.Length; r++)
                Histogram(patch.Band(index), patch.Width, patch.Height, Radii[r], output.Slice((b * Radii.Length + r) * Bins, Bins));
        }
    }

    private static IReadOnlyList<string> TextureBands(Modality modality) => modality == Modality.S1 ? S1TextureBands : S2TextureBands;

    private static void Histogram(ReadOnlySpan<float> band, int width, int height, int radius, Span<double> histogram)
    {
        Span<int> dx = stackalloc int[Neighbours];
        Span<int> dy = stackalloc int[Neighbours];
        for (int i = 0; i < Neighbours; i++)
        {
            dx[i] = (int)Math.Round(Circle[i].Dx * radius);
            dy[i] = (int)Math.Round(Circle[i].Dy * radius);
        }
        int counted = 0;
        for (int y = radius; y < height - radius; y++)
            for (int x = radius; x < width - radius; x++)
            {
                float centre = band[y * width + x];
                if (!float.IsFinite(centre)) continue;
                int pattern = 0;
                bool finite = true;
                for (int i = 0; i < Neighbours && finite; i++)
                {
                    float neighbour = band[(y + dy[i]) * width + x + dx[i]];
                    finite = float.IsFinite(neighbour);
                    if (neighbour >= centre) pattern |= 1 << i;
                }
                if (!finite) continue;
                histogram[Bin(pattern)] += 1;
                counted++;
            }
        if (counted == 0) return;
        for (int i = 0; i < Bins; i++) histogram[i] /= counted;
    }

    /// <summary>riu2 label: the number of set bits of a uniform pattern, else <c>Neighbours + 1</c>.</summary>
    internal static int Bin(int pattern)
    {
        int rotated = ((pattern >> 1) | (pattern << (Neighbours - 1))) & ((1 << Neighbours) - 1);
        int transitions = System.Numerics.BitOperations.PopCount((uint)(pattern ^ rotated));
        return transitions <= 2 ? System.Numerics.BitOperations.PopCount((uint)pattern) : Neighbours + 1;
    }
}
