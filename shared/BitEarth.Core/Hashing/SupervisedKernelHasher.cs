using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Supervised hashing with kernels (KSH; Liu, Wang, Ji, Jiang &amp; Chang, CVPR 2012). With l labelled patches,
/// centred anchor kernel features Kbar (l x m) and pairwise similarity S (+1 when two patches share at least one label,
/// else -1), it fits code inner products to r*S: H H^T ~ r S. Bits are learned greedily: with residue
/// R_{k-1} = r S - sum_{t&lt;k} h_t h_t^T, bit k maximises sgn(Kbar a)^T R_{k-1} sgn(Kbar a). The spectral relaxation
/// (top generalised eigenvector of Kbar^T R Kbar against Kbar^T Kbar) gives the start; gradient ascent on the smoothed
/// objective phi(Kbar a)^T R phi(Kbar a), phi(x) = 2/(1+e^-x) - 1, refines it; the better of the two (by the exact
/// discrete objective) is kept, as in the paper.
/// </summary>
public sealed class SupervisedKernelHasher : IPatchHasher
{
    public const string Kind = "ksh";

    private const int RefineSteps = 40;

    private readonly KernelCodes _codes;

    private SupervisedKernelHasher(KernelCodes codes) => _codes = codes;

    public string Version => _codes.Version;

    public int Bits => _codes.Bits;

    public IReadOnlySet<Modality> Modalities => _codes.Modalities;

    /// <summary>
    /// Fits each modality with at least 2 labelled patches in <paramref name="labelled"/>; unlabelled patches are ignored.
    /// A few hundred patches per modality are enough; cost grows with l^2 per bit.
    /// </summary>
    public static SupervisedKernelHasher Fit(IEnumerable<Patch> labelled, int bits, int seed, int anchorCount = 100, PatchDescriptor? descriptor = null)
    {
        HammingCode.ValidateBits(bits);
        descriptor ??= PatchDescriptor.Spectral;
        if (anchorCount < 2) throw new ArgumentOutOfRangeException(nameof(anchorCount), anchorCount, "KSH needs at least 2 anchors.");
        var byModality = new Dictionary<Modality, (DescriptorScaling, RbfAnchorFeatures, double[][])>();
        foreach (var group in labelled.Where(p => p.Labels.Count > 0 && descriptor.Describes(p.Modality)).GroupBy(p => p.Modality)
                     .Where(g => g.Count() >= 2).OrderBy(g => g.Key))
        {
            var patches = group.ToList();
            var random = new GaussianSampler(LshHasher.ModalitySeed(seed, group.Key));
            var descriptors = patches.Select(descriptor.Compute).ToList();
            var scaling = DescriptorScaling.Fit(descriptors);
            var standardised = descriptors.Select(d => scaling.Standardise(d)).ToList();
            var raw = RbfAnchorFeatures.Choose(standardised, anchorCount, random);
            var kernel = standardised.Select(z => raw.Of(z)).ToArray();
            var centers = new double[raw.Count];
            foreach (var row in kernel)
                for (int j = 0; j < centers.Length; j++) centers[j] += row[j] / kernel.Length;
            foreach (var row in kernel)
                for (int j = 0; j < centers.Length; j++) row[j] -= centers[j];
            var weights = Learn(kernel, Similarity(patches, bits), bits);
            byModality[group.Key] = (scaling, raw.WithCenters(centers), weights);
        }
        return new SupervisedKernelHasher(new KernelCodes(Kind, bits, seed, descriptor, byModality));
    }

    public HammingCode Hash(Patch patch) => _codes.Hash(patch);

    public void Save(Stream destination) => _codes.Save(destination);

    public static SupervisedKernelHasher Load(Stream source) => new(KernelCodes.Load(source, Kind));

    /// <summary>r S: +r for pairs sharing at least one label, -r otherwise.</summary>
    private static double[,] Similarity(IReadOnlyList<Patch> patches, int bits)
    {
        var sets = patches.Select(p => p.Labels.ToHashSet(StringComparer.Ordinal)).ToArray();
        int l = sets.Length;
        var r = new double[l, l];
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++) r[i, j] = sets[i].Overlaps(sets[j]) ? bits : -bits;
        return r;
    }

    private static double[][] Learn(double[][] kernel, double[,] residue, int bits)
    {
        int l = kernel.Length, m = kernel[0].Length;
        var gram = new double[m, m];
        for (int i = 0; i < l; i++)
            for (int a = 0; a < m; a++)
                for (int b = 0; b < m; b++) gram[a, b] += kernel[i][a] * kernel[i][b];
        // A small ridge keeps the whitening defined when anchor features are collinear.
        double ridge = 1e-6 * Math.Max(1, Trace(gram) / m);
        for (int a = 0; a < m; a++) gram[a, a] += ridge;
        var whiten = SymmetricEigen.InverseSquareRoot(gram);
        var weights = new double[bits][];
        for (int k = 0; k < bits; k++)
        {
            var start = SpectralStart(kernel, residue, whiten, l);
            var refined = Refine(kernel, residue, start);
            var best = DiscreteObjective(kernel, residue, refined) > DiscreteObjective(kernel, residue, start) ? refined : start;
            var h = Signs(Scores(kernel, best));
            for (int i = 0; i < l; i++)
                for (int j = 0; j < l; j++) residue[i, j] -= h[i] * h[j];
            weights[k] = best;
        }
        return weights;
    }

    /// <summary>
    /// Maximises a^T Kbar^T R Kbar a subject to a^T Kbar^T Kbar a = l: with W = (Kbar^T Kbar)^(-1/2), a = W v where v is
    /// the top eigenvector of W Kbar^T R Kbar W.
    /// </summary>
    private static double[] SpectralStart(double[][] kernel, double[,] residue, double[,] whiten, int l)
    {
        int m = kernel[0].Length;
        var rk = new double[l, m]; // R Kbar
        for (int i = 0; i < l; i++)
            for (int j = 0; j < l; j++)
            {
                double r = residue[i, j];
                if (r == 0) continue;
                var row = kernel[j];
                for (int a = 0; a < m; a++) rk[i, a] += r * row[a];
            }
        var inner = new double[m, m]; // Kbar^T R Kbar
        for (int i = 0; i < l; i++)
            for (int a = 0; a < m; a++)
            {
                double ka = kernel[i][a];
                for (int b = 0; b < m; b++) inner[a, b] += ka * rk[i, b];
            }
        var whitened = Multiply(Multiply(whiten, inner), whiten);
        for (int a = 0; a < m; a++)
            for (int b = a + 1; b < m; b++) whitened[a, b] = whitened[b, a] = (whitened[a, b] + whitened[b, a]) / 2;
        var (_, vectors) = SymmetricEigen.Decompose(whitened);
        var direction = new double[m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) direction[a] += whiten[a, b] * vectors[b, 0];
        var scores = Scores(kernel, direction);
        double norm = Math.Sqrt(scores.Sum(s => s * s));
        double scale = norm > 0 ? Math.Sqrt(l) / norm : 1;
        return direction.Select(d => d * scale).ToArray();
    }

    /// <summary>Gradient ascent with backtracking on phi(Kbar a)^T R phi(Kbar a); gradient Kbar^T ((R b) .* (1 - b^2)).</summary>
    private static double[] Refine(double[][] kernel, double[,] residue, double[] start)
    {
        int l = kernel.Length, m = start.Length;
        var a = (double[])start.Clone();
        double value = SmoothObjective(kernel, residue, a, out var b);
        double step = 0.1 * Math.Sqrt(a.Sum(x => x * x));
        for (int iteration = 0; iteration < RefineSteps && step > 1e-9; iteration++)
        {
            var rb = Multiply(residue, b);
            var gradient = new double[m];
            for (int i = 0; i < l; i++)
            {
                double g = rb[i] * (1 - b[i] * b[i]);
                for (int j = 0; j < m; j++) gradient[j] += g * kernel[i][j];
            }
            double gradientNorm = Math.Sqrt(gradient.Sum(x => x * x));
            if (gradientNorm == 0) break;
            while (step > 1e-9)
            {
                var candidate = a.Select((x, j) => x + step * gradient[j] / gradientNorm).ToArray();
                double candidateValue = SmoothObjective(kernel, residue, candidate, out var candidateB);
                if (candidateValue > value)
                {
                    (a, value, b) = (candidate, candidateValue, candidateB);
                    step *= 1.5;
                    break;
                }
                step /= 2;
            }
        }
        return a;
    }

    private static double SmoothObjective(double[][] kernel, double[,] residue, double[] a, out double[] b)
    {
        b = Scores(kernel, a).Select(u => 2 / (1 + Math.Exp(-u)) - 1).ToArray();
        return Dot(b, Multiply(residue, b));
    }

    private static double DiscreteObjective(double[][] kernel, double[,] residue, double[] a)
    {
        var h = Signs(Scores(kernel, a));
        return Dot(h, Multiply(residue, h));
    }

    private static double[] Scores(double[][] kernel, double[] a) => SignCode.Project(kernel, a);

    /// <summary>Codes are in {-1, +1}; a zero score counts as -1, matching <see cref="SignCode"/> (bit 0).</summary>
    private static double[] Signs(double[] scores) => scores.Select(s => s > 0 ? 1.0 : -1.0).ToArray();

    private static double Trace(double[,] m)
    {
        double t = 0;
        for (int i = 0; i < m.GetLength(0); i++) t += m[i, i];
        return t;
    }

    private static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    private static double[] Multiply(double[,] matrix, double[] vector)
    {
        int n = matrix.GetLength(0), c = matrix.GetLength(1);
        var result = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < c; j++) s += matrix[i, j] * vector[j];
            result[i] = s;
        }
        return result;
    }

    private static double[,] Multiply(double[,] x, double[,] y)
    {
        int n = x.GetLength(0), inner = x.GetLength(1), c = y.GetLength(1);
        var result = new double[n, c];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < inner; k++)
            {
                double xik = x[i, k];
                if (xik == 0) continue;
                for (int j = 0; j < c; j++) result[i, j] += xik * y[k, j];
            }
        return result;
    }
}
