namespace BitEarth.Core.Hashing;

/// <summary>
/// A Gaussian mixture with diagonal covariances, fitted by expectation-maximisation: the model of region descriptors
/// whose components are multi-code hashing's <em>primitives</em> (Reato et al.). Starts from k-means++ seeds drawn from
/// the seeded sampler, so a fit is a pure function of data and seed; variances are floored so a component that
/// collapses onto a few identical regions keeps a finite likelihood.
/// </summary>
public sealed class GaussianMixture
{
    /// <summary>Floor of every variance, in the units of the (standardised) data.</summary>
    public const double VarianceFloor = 1e-2;

    public GaussianMixture(double[] weights, double[][] means, double[][] variances)
    {
        if (weights.Length == 0 || means.Length != weights.Length || variances.Length != weights.Length)
            throw new ArgumentException("A mixture needs as many weights, means and variance vectors as components, at least one.");
        int length = means[0].Length;
        if (means.Any(m => m.Length != length) || variances.Any(v => v.Length != length))
            throw new ArgumentException($"Every mean and variance vector must have {length} numbers.");
        if (weights.Any(w => !(w > 0)) || variances.Any(v => v.Any(x => !(x > 0))))
            throw new ArgumentException("Weights and variances must be positive.");
        Weights = weights;
        Means = means;
        Variances = variances;
        _logNormaliser = new double[weights.Length];
        for (int j = 0; j < weights.Length; j++)
            _logNormaliser[j] = Math.Log(weights[j]) - 0.5 * variances[j].Sum(v => Math.Log(2 * Math.PI * v));
    }

    private readonly double[] _logNormaliser;

    public double[] Weights { get; }

    public double[][] Means { get; }

    public double[][] Variances { get; }

    public int Count => Weights.Length;

    public int Length => Means[0].Length;

    /// <summary>Fits <paramref name="components"/> primitives to <paramref name="data"/> (at least that many rows).</summary>
    public static GaussianMixture Fit(IReadOnlyList<double[]> data, int components, GaussianSampler random, int iterations = 50)
    {
        if (components < 1) throw new ArgumentOutOfRangeException(nameof(components), components, "A mixture needs at least one component.");
        if (data.Count < components)
            throw new ArgumentException($"{components} primitives need at least as many regions; the sample has {data.Count}.", nameof(data));
        int n = data.Count, d = data[0].Length;
        var means = SeedMeans(data, components, random);
        var overall = new double[d];
        foreach (var x in data) for (int i = 0; i < d; i++) overall[i] += x[i] / n;
        var spread = new double[d];
        foreach (var x in data) for (int i = 0; i < d; i++) spread[i] += (x[i] - overall[i]) * (x[i] - overall[i]) / n;
        for (int i = 0; i < d; i++) spread[i] = Math.Max(spread[i], VarianceFloor);
        var model = new GaussianMixture(Enumerable.Repeat(1.0 / components, components).ToArray(), means,
            Enumerable.Range(0, components).Select(_ => (double[])spread.Clone()).ToArray());

        var responsibility = new double[n, components];
        double previous = double.NegativeInfinity;
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            // E step: posteriors by log-sum-exp, and the data log-likelihood to stop on.
            double likelihood = 0;
            var log = new double[components];
            for (int r = 0; r < n; r++)
            {
                model.LogJoint(data[r], log);
                double max = log.Max(), sum = 0;
                for (int j = 0; j < components; j++) sum += Math.Exp(log[j] - max);
                double logSum = max + Math.Log(sum);
                likelihood += logSum;
                for (int j = 0; j < components; j++) responsibility[r, j] = Math.Exp(log[j] - logSum);
            }
            // M step; a component that lost every region is re-seeded on the worst-explained row.
            var weights = new double[components];
            var newMeans = new double[components][];
            var newVariances = new double[components][];
            for (int j = 0; j < components; j++)
            {
                double mass = 0;
                var mean = new double[d];
                for (int r = 0; r < n; r++)
                {
                    double g = responsibility[r, j];
                    mass += g;
                    for (int i = 0; i < d; i++) mean[i] += g * data[r][i];
                }
                if (mass < 1e-9)
                {
                    weights[j] = 1.0 / n;
                    newMeans[j] = (double[])data[random.Uniform.Next(n)].Clone();
                    newVariances[j] = (double[])spread.Clone();
                    continue;
                }
                for (int i = 0; i < d; i++) mean[i] /= mass;
                var variance = new double[d];
                for (int r = 0; r < n; r++)
                {
                    double g = responsibility[r, j];
                    for (int i = 0; i < d; i++) variance[i] += g * (data[r][i] - mean[i]) * (data[r][i] - mean[i]);
                }
                for (int i = 0; i < d; i++) variance[i] = Math.Max(variance[i] / mass, VarianceFloor);
                weights[j] = mass / n;
                newMeans[j] = mean;
                newVariances[j] = variance;
            }
            double total = weights.Sum();
            model = new GaussianMixture(weights.Select(w => w / total).ToArray(), newMeans, newVariances);
            if (likelihood - previous < 1e-6 * Math.Abs(likelihood)) break;
            previous = likelihood;
        }
        return model;
    }

    /// <summary>The primitive of highest posterior probability (ties to the lower index).</summary>
    public int MostLikely(ReadOnlySpan<double> x)
    {
        var log = new double[Count];
        LogJoint(x, log);
        int best = 0;
        for (int j = 1; j < log.Length; j++) if (log[j] > log[best]) best = j;
        return best;
    }

    /// <summary>log(weight_j) + log N(x | mean_j, diag(variance_j)) for every component j.</summary>
    private void LogJoint(ReadOnlySpan<double> x, Span<double> output)
    {
        if (x.Length != Length) throw new ArgumentException($"The mixture models {Length} features, not {x.Length}.", nameof(x));
        for (int j = 0; j < Count; j++)
        {
            var mean = Means[j];
            var variance = Variances[j];
            double quadratic = 0;
            for (int i = 0; i < x.Length; i++) quadratic += (x[i] - mean[i]) * (x[i] - mean[i]) / variance[i];
            output[j] = _logNormaliser[j] - 0.5 * quadratic;
        }
    }

    /// <summary>k-means++: the first mean uniformly, each next one with probability proportional to squared distance.</summary>
    private static double[][] SeedMeans(IReadOnlyList<double[]> data, int components, GaussianSampler random)
    {
        var means = new List<double[]> { (double[])data[random.Uniform.Next(data.Count)].Clone() };
        var nearest = data.Select(x => SquaredDistance(x, means[0])).ToArray();
        while (means.Count < components)
        {
            double total = nearest.Sum();
            int pick = 0;
            if (total > 0)
            {
                double target = random.Uniform.NextDouble() * total;
                for (double cumulative = nearest[0]; cumulative < target && pick < data.Count - 1; cumulative += nearest[++pick]) { }
            }
            else pick = random.Uniform.Next(data.Count);
            means.Add((double[])data[pick].Clone());
            for (int r = 0; r < data.Count; r++) nearest[r] = Math.Min(nearest[r], SquaredDistance(data[r], means[^1]));
        }
        return [.. means];
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += (a[i] - b[i]) * (a[i] - b[i]);
        return sum;
    }
}
