using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Splits a patch into spectrally homogeneous, compact regions: simple linear iterative clustering (SLIC, Achanta et
/// al. 2012) over the canonical bands, each band standardised within the patch. Centres start on a grid of step s
/// (about <see cref="Regions"/> of them) and move by local k-means, each searching a 2s x 2s window, with distance
/// spectral² / bands + compactness · (spatial / s)². Deterministic; no randomness.
/// </summary>
public sealed class RegionSegmentation
{
    private const int Iterations = 5;

    public RegionSegmentation(int regions, double compactness)
    {
        if (regions is < 1 or > 1024) throw new ArgumentOutOfRangeException(nameof(regions), regions, "Regions must be 1..1024 per patch.");
        if (!double.IsFinite(compactness) || compactness < 0) throw new ArgumentOutOfRangeException(nameof(compactness), compactness, "Compactness must be finite and non-negative.");
        Regions = regions;
        Compactness = compactness;
    }

    public int Regions { get; }

    public double Compactness { get; }

    /// <summary>The pixels of each non-empty region, as row-major pixel indices.</summary>
    public IReadOnlyList<int[]> Segment(Patch patch)
    {
        var bandIndex = SpectralDescriptor.BandIndex(patch);
        int w = patch.Width, h = patch.Height, area = w * h, bands = bandIndex.Length;
        var features = Standardised(patch, bandIndex);
        int step = Math.Max(1, (int)Math.Round(Math.Sqrt(area / (double)Regions)));
        var centres = new List<double[]>();
        for (int y = step / 2; y < h; y += step)
            for (int x = step / 2; x < w; x += step)
            {
                var c = new double[bands + 2];
                for (int b = 0; b < bands; b++) c[b] = features[b * area + y * w + x];
                (c[bands], c[bands + 1]) = (x, y);
                centres.Add(c);
            }
        var label = new int[area];
        var best = new double[area];
        double spatialWeight = Compactness / ((double)step * step);
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            Array.Fill(best, double.PositiveInfinity);
            for (int k = 0; k < centres.Count; k++)
            {
                var c = centres[k];
                int cx = (int)Math.Round(c[bands]), cy = (int)Math.Round(c[bands + 1]);
                for (int y = Math.Max(0, cy - step); y <= Math.Min(h - 1, cy + step); y++)
                    for (int x = Math.Max(0, cx - step); x <= Math.Min(w - 1, cx + step); x++)
                    {
                        int p = y * w + x;
                        double spectral = 0;
                        for (int b = 0; b < bands; b++)
                        {
                            double diff = features[b * area + p] - c[b];
                            spectral += diff * diff;
                        }
                        double dx = x - c[bands], dy = y - c[bands + 1];
                        double distance = spectral / bands + spatialWeight * (dx * dx + dy * dy);
                        if (distance < best[p]) { best[p] = distance; label[p] = k; }
                    }
            }
            var sums = centres.Select(_ => new double[bands + 2]).ToArray();
            var counts = new int[centres.Count];
            for (int p = 0; p < area; p++)
            {
                var s = sums[label[p]];
                for (int b = 0; b < bands; b++) s[b] += features[b * area + p];
                s[bands] += p % w;
                s[bands + 1] += p / w;
                counts[label[p]]++;
            }
            for (int k = 0; k < centres.Count; k++)
                if (counts[k] > 0)
                    for (int i = 0; i < bands + 2; i++) centres[k][i] = sums[k][i] / counts[k];
        }
        var members = centres.Select(_ => new List<int>()).ToArray();
        for (int p = 0; p < area; p++) members[label[p]].Add(p);
        return members.Where(m => m.Count > 0).Select(m => m.ToArray()).ToList();
    }

    /// <summary>A region as a patch of one row holding its pixels, so whole-patch descriptors describe it.</summary>
    public static Patch PixelsOf(Patch patch, IReadOnlyList<int> pixels, string id)
    {
        int area = patch.Width * patch.Height, n = pixels.Count;
        var values = new float[patch.BandCount * n];
        for (int b = 0; b < patch.BandCount; b++)
        {
            var band = patch.Pixels.AsSpan(b * area, area);
            for (int i = 0; i < n; i++) values[b * n + i] = band[pixels[i]];
        }
        return patch with { Id = id, Width = n, Height = 1, Pixels = values };
    }

    /// <summary>Canonical bands, band-major, each standardised over the patch's finite pixels; non-finite pixels become 0.</summary>
    private static double[] Standardised(Patch patch, int[] bandIndex)
    {
        int area = patch.Width * patch.Height;
        var features = new double[bandIndex.Length * area];
        for (int b = 0; b < bandIndex.Length; b++)
        {
            var band = patch.Band(bandIndex[b]);
            double sum = 0, sumSq = 0;
            int n = 0;
            foreach (var v in band)
                if (float.IsFinite(v)) { sum += v; sumSq += (double)v * v; n++; }
            double mean = n > 0 ? sum / n : 0;
            double std = n > 0 ? Math.Sqrt(Math.Max(0, sumSq / n - mean * mean)) : 0;
            if (std < 1e-9) std = 1;
            for (int p = 0; p < area; p++)
                features[b * area + p] = float.IsFinite(band[p]) ? (band[p] - mean) / std : 0;
        }
        return features;
    }
}
