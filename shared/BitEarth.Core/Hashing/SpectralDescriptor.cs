using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Hand-crafted, fixed-length description of a patch's radiometry, independent of its size (64x64 EuroSAT and
/// 120x120 BigEarthNet give comparable vectors). Per band, in <see cref="Bands"/> order: mean, standard deviation,
/// 10th/50th/90th percentiles and a normalised histogram over fixed physical ranges. S2 then adds mean and standard
/// deviation of NDVI, NDWI and NDBI; S1 adds those of the VH-VV cross-polarisation ratio (dB).
/// Non-finite pixels are ignored, so a stray NaN never poisons a code.
/// </summary>
public static class SpectralDescriptor
{
    /// <summary>Changes whenever the feature definition changes, so hasher versions built on it change too.</summary>
    public const string Version = "spectral-v1";

    private const int StatsPerBand = 5;

    /// <summary>Upper bin edges in DN (reflectance x 10000): roughly logarithmic, dense where land surfaces sit.</summary>
    private static readonly float[] S2Edges = [250, 500, 750, 1000, 1500, 2000, 3000];

    /// <summary>Upper bin edges in dB over -30..+5: water and shadow below -20, vegetation and soil mid, urban high.</summary>
    private static readonly float[] S1Edges = [-25, -20, -16, -13, -10, -7, -3];

    /// <summary>S2 statistics are in reflectance (DN / 10000) so all S2 features share an order of magnitude.</summary>
    private const float S2Scale = 1f / 10000f;

    public static int Length(Modality modality) =>
        Bands.For(modality).Count * PerBand(modality) + 2 * IndexCount(modality);

    public static double[] Compute(Patch patch)
    {
        var bandIndex = BandIndex(patch);
        var modality = patch.Modality;
        var features = new double[Length(modality)];
        var canonical = Bands.For(modality);
        int perBand = PerBand(modality);
        float scale = modality == Modality.S2 ? S2Scale : 1f;
        var edges = Edges(modality);
        for (int b = 0; b < canonical.Count; b++)
        {
            var values = Finite(patch.Band(bandIndex[b]), scale);
            WriteBandFeatures(values, edges, scale, features.AsSpan(b * perBand, perBand));
        }
        int at = canonical.Count * perBand;
        foreach (var (a, c) in IndexBands(modality))
        {
            var (mean, std) = NormalisedDifferenceStats(patch.Band(bandIndex[a]), patch.Band(bandIndex[c]), modality);
            features[at++] = mean;
            features[at++] = std;
        }
        return features;
    }

    /// <summary>
    /// Plausible per-feature centre and spread for natural scenes, used to standardise when no sample was fitted.
    /// </summary>
    public static (double[] Means, double[] Stds) TypicalScaling(Modality modality)
    {
        int length = Length(modality);
        var means = new double[length];
        var stds = new double[length];
        int perBand = PerBand(modality);
        int bins = Edges(modality).Length + 1;
        bool s2 = modality == Modality.S2;
        for (int b = 0; b < Bands.For(modality).Count; b++)
        {
            int o = b * perBand;
            // mean, std, p10, p50, p90
            double level = s2 ? 0.15 : -14, spread = s2 ? 0.1 : 5;
            double texture = s2 ? 0.03 : 2.5, textureSpread = s2 ? 0.03 : 1.5;
            (means[o], stds[o]) = (level, spread);
            (means[o + 1], stds[o + 1]) = (texture, textureSpread);
            for (int p = 2; p < StatsPerBand; p++) (means[o + p], stds[o + p]) = (level, spread);
            for (int h = 0; h < bins; h++) (means[o + StatsPerBand + h], stds[o + StatsPerBand + h]) = (1.0 / bins, 0.2);
        }
        int at = Bands.For(modality).Count * perBand;
        for (int i = 0; i < IndexCount(modality); i++)
        {
            (means[at], stds[at]) = s2 ? (0.0, 0.4) : (-7.0, 3.0);
            (means[at + 1], stds[at + 1]) = s2 ? (0.1, 0.1) : (2.5, 1.5);
            at += 2;
        }
        return (means, stds);
    }

    private static int PerBand(Modality modality) => StatsPerBand + Edges(modality).Length + 1;

    private static float[] Edges(Modality modality) => modality == Modality.S2 ? S2Edges : S1Edges;

    private static int IndexCount(Modality modality) => IndexBands(modality).Length;

    /// <summary>
    /// S2: NDVI = (B08-B04)/(B08+B04), NDWI = (B03-B08)/(B03+B08), NDBI = (B11-B08)/(B11+B08), as indices into Bands.S2.
    /// S1: VH - VV in dB (the log of the cross-polarisation ratio), as indices into Bands.S1.
    /// </summary>
    private static (int A, int B)[] IndexBands(Modality modality) =>
        modality == Modality.S2 ? [(7, 3), (2, 7), (10, 7)] : [(1, 0)];

    /// <summary>Position of each canonical band in the patch, by name, so any band order is accepted.</summary>
    internal static int[] BandIndex(Patch patch)
    {
        var canonical = Bands.For(patch.Modality);
        if (patch.Width <= 0 || patch.Height <= 0)
            throw new ArgumentException($"Patch {patch.Id} has an empty grid {patch.Width}x{patch.Height}.", nameof(patch));
        if (patch.Pixels.Length != patch.BandCount * patch.Width * patch.Height)
            throw new ArgumentException(
                $"Patch {patch.Id} has {patch.Pixels.Length} pixels, expected {patch.BandCount}x{patch.Width}x{patch.Height}.", nameof(patch));
        var index = new int[canonical.Count];
        for (int b = 0; b < canonical.Count; b++)
        {
            index[b] = IndexOf(patch.BandNames, canonical[b]);
            if (index[b] < 0)
                throw new ArgumentException($"Patch {patch.Id} ({patch.Modality}) lacks band {canonical[b]}.", nameof(patch));
        }
        return index;
    }

    internal static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static float[] Finite(ReadOnlySpan<float> band, float scale)
    {
        var values = new float[band.Length];
        int n = 0;
        foreach (var v in band)
            if (float.IsFinite(v)) values[n++] = v * scale;
        Array.Resize(ref values, n);
        Array.Sort(values);
        return values;
    }

    private static void WriteBandFeatures(float[] sorted, float[] edges, float scale, Span<double> output)
    {
        if (sorted.Length == 0) return;
        double sum = 0, sumSq = 0;
        foreach (var v in sorted) { sum += v; sumSq += (double)v * v; }
        double mean = sum / sorted.Length;
        output[0] = mean;
        output[1] = Math.Sqrt(Math.Max(0, sumSq / sorted.Length - mean * mean));
        output[2] = Percentile(sorted, 0.10);
        output[3] = Percentile(sorted, 0.50);
        output[4] = Percentile(sorted, 0.90);
        var histogram = output[StatsPerBand..];
        int bin = 0;
        foreach (var v in sorted)
        {
            while (bin < edges.Length && v >= edges[bin] * scale) bin++;
            histogram[bin] += 1.0 / sorted.Length;
        }
    }

    /// <summary>Linear interpolation between closest ranks.</summary>
    private static double Percentile(float[] sorted, double q)
    {
        double rank = q * (sorted.Length - 1);
        int lo = (int)rank;
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }

    private static (double Mean, double Std) NormalisedDifferenceStats(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Modality modality)
    {
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double value;
            if (modality == Modality.S1) value = (double)a[i] - b[i];
            else
            {
                double total = (double)a[i] + b[i];
                if (total <= 0) continue;
                value = (a[i] - (double)b[i]) / total;
            }
            if (!double.IsFinite(value)) continue;
            sum += value;
            sumSq += value * value;
            n++;
        }
        if (n == 0) return (0, 0);
        double mean = sum / n;
        return (mean, Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)));
    }
}
