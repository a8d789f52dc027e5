using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Bag of spectral values: every pixel's spectrum (all bands of the modality, S2 in reflectance, S1 in dB, each band
/// standardised over the fitting sample) goes to the nearest of K words that k-means learned from pixels sampled across
/// the archive; the descriptor is the normalised histogram of words. Where the spectral statistics summarise each band
/// alone, the words keep which values occur together in one pixel (water, bright roofs, dense canopy, bare soil), and
/// their shares in the patch. Pixels with a non-finite band are skipped.
/// </summary>
public sealed class SpectralWords
{
    public const string Version = "bosv-v1";

    public const int DefaultWords = 32;

    private const int PixelsPerPatch = 256;
    private const int MaxPixels = 60_000;
    private const int Iterations = 20;

    public SpectralWords(Modality modality, double[] bandMeans, double[] bandStds, double[][] words)
    {
        int bands = Bands.For(modality).Count;
        if (bandMeans.Length != bands || bandStds.Length != bands)
            throw new ArgumentException($"{modality} spectral words need {bands} band means and stds.");
        if (words.Length < 2 || words.Any(w => w.Length != bands))
            throw new ArgumentException($"{modality} spectral words need at least 2 words of {bands} values.");
        Modality = modality;
        BandMeans = bandMeans;
        BandStds = bandStds.Select(SafeStd).ToArray();
        Words = words;
    }

    public Modality Modality { get; }

    public double[] BandMeans { get; }

    public double[] BandStds { get; }

    public double[][] Words { get; }

    public int Length => Words.Length;

    /// <summary>k-means (k-means++ start, Lloyd iterations) over pixels drawn evenly from the sample's patches.</summary>
    public static SpectralWords Fit(Modality modality, IEnumerable<Patch> sample, int words, int seed)
    {
        if (words < 2) throw new ArgumentOutOfRangeException(nameof(words), words, "A bag of spectral values needs at least 2 words.");
        var patches = sample.Where(p => p.Modality == modality).ToList();
        if (patches.Count == 0) throw new ArgumentException($"No {modality} patch to fit spectral words on.", nameof(sample));
        var random = new Random(seed);
        int perPatch = Math.Max(1, Math.Min(PixelsPerPatch, MaxPixels / patches.Count));
        var pixels = new List<double[]>();
        foreach (var patch in patches)
        {
            var index = SpectralDescriptor.BandIndex(patch);
            int count = patch.Width * patch.Height;
            for (int s = 0; s < perPatch; s++)
                if (Spectrum(patch, index, random.Next(count)) is { } spectrum) pixels.Add(spectrum);
        }
        if (pixels.Count < words) throw new ArgumentException($"{pixels.Count} finite {modality} pixels are too few for {words} words.", nameof(sample));
        int bands = pixels[0].Length;
        var means = new double[bands];
        var stds = new double[bands];
        foreach (var p in pixels)
            for (int b = 0; b < bands; b++) means[b] += p[b] / pixels.Count;
        foreach (var p in pixels)
            for (int b = 0; b < bands; b++) stds[b] += (p[b] - means[b]) * (p[b] - means[b]) / pixels.Count;
        for (int b = 0; b < bands; b++) stds[b] = SafeStd(Math.Sqrt(stds[b]));
        var points = pixels.Select(p => Standardise(p, means, stds)).ToArray();
        return new SpectralWords(modality, means, stds, KMeans(points, words, random));
    }

    public void Compute(Patch patch, Span<double> output)
    {
        if (patch.Modality != Modality) throw new ArgumentException($"Spectral words of {Modality} cannot describe a {patch.Modality} patch.", nameof(patch));
        if (output.Length != Length) throw new ArgumentException($"Spectral words give {Length} features, not {output.Length}.", nameof(output));
        output.Clear();
        var index = SpectralDescriptor.BandIndex(patch);
        int counted = 0;
        for (int i = 0; i < patch.Width * patch.Height; i++)
        {
            if (Spectrum(patch, index, i) is not { } spectrum) continue;
            output[Nearest(Words, Standardise(spectrum, BandMeans, BandStds))] += 1;
            counted++;
        }
        if (counted == 0) return;
        for (int w = 0; w < output.Length; w++) output[w] /= counted;
    }

    /// <summary>A band that never varies in the sample keeps unit scale instead of dividing by ~0.</summary>
    private static double SafeStd(double std) => double.IsFinite(std) && std > 1e-9 ? std : 1.0;

    private static double[] Standardise(double[] spectrum, double[] means, double[] stds)
    {
        for (int b = 0; b < spectrum.Length; b++) spectrum[b] = (spectrum[b] - means[b]) / stds[b];
        return spectrum;
    }

    /// <summary>The pixel's values in canonical band order, S2 as reflectance; null when a band is not finite.</summary>
    private static double[]? Spectrum(Patch patch, int[] bandIndex, int pixel)
    {
        double scale = patch.Modality == Modality.S2 ? 1e-4 : 1;
        var spectrum = new double[bandIndex.Length];
        int plane = patch.Width * patch.Height;
        for (int b = 0; b < bandIndex.Length; b++)
        {
            float v = patch.Pixels[bandIndex[b] * plane + pixel];
            if (!float.IsFinite(v)) return null;
            spectrum[b] = v * scale;
        }
        return spectrum;
    }

    private static int Nearest(double[][] words, double[] point)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int w = 0; w < words.Length; w++)
        {
            double d = 0;
            var word = words[w];
            for (int b = 0; b < point.Length; b++) d += (point[b] - word[b]) * (point[b] - word[b]);
            if (d < bestDistance) (best, bestDistance) = (w, d);
        }
        return best;
    }

    private static double[][] KMeans(double[][] points, int k, Random random)
    {
        // k-means++: each next centre drawn with probability proportional to the squared distance to the nearest so far.
        var centres = new List<double[]> { (double[])points[random.Next(points.Length)].Clone() };
        var nearest = points.Select(p => SquaredDistance(p, centres[0])).ToArray();
        while (centres.Count < k)
        {
            double total = nearest.Sum(), draw = random.NextDouble() * total;
            int chosen = points.Length - 1;
            for (int i = 0; i < points.Length; i++)
            {
                draw -= nearest[i];
                if (draw <= 0) { chosen = i; break; }
            }
            centres.Add((double[])points[chosen].Clone());
            for (int i = 0; i < points.Length; i++) nearest[i] = Math.Min(nearest[i], SquaredDistance(points[i], centres[^1]));
        }
        var words = centres.ToArray();
        int dims = points[0].Length;
        var assignment = new int[points.Length];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            bool moved = false;
            for (int i = 0; i < points.Length; i++)
            {
                int w = Nearest(words, points[i]);
                moved |= w != assignment[i] || iteration == 0;
                assignment[i] = w;
            }
            if (!moved) break;
            var sums = new double[k][];
            var counts = new int[k];
            for (int w = 0; w < k; w++) sums[w] = new double[dims];
            for (int i = 0; i < points.Length; i++)
            {
                counts[assignment[i]]++;
                for (int b = 0; b < dims; b++) sums[assignment[i]][b] += points[i][b];
            }
            for (int w = 0; w < k; w++)
                if (counts[w] > 0) // an emptied word keeps its place rather than collapsing onto another
                    for (int b = 0; b < dims; b++) words[w][b] = sums[w][b] / counts[w];
        }
        return words;
    }

    private static double SquaredDistance(double[] a, double[] b)
    {
        double d = 0;
        for (int i = 0; i < a.Length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
        return d;
    }
}
