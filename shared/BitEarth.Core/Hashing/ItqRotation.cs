using BitEarth.Core.Codes;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Iterative quantization (Gong and Lazebnik, CVPR 2011) without labels: centre the features, project them on their
/// top principal directions (one per bit), then rotate that subspace so the projections sit as close as possible to
/// the corners of the hypercube, which makes sign bits lose the least of the geometry. PCA and rotation are folded
/// into one projection: bit j of x is the sign of (x - Mean) . Projection[j].
/// </summary>
public sealed class ItqRotation
{
    public const int DefaultIterations = 50;

    /// <summary>Subspace iterations of the PCA; only the spanned subspace matters, since the rotation follows.</summary>
    private const int PcaIterations = 30;

    public ItqRotation(double[] mean, double[][] projection)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(projection);
        HammingCode.ValidateBits(projection.Length);
        if (projection.Any(row => row is null || row.Length != mean.Length))
            throw new ArgumentException($"every projection row needs {mean.Length} weights.", nameof(projection));
        Mean = mean;
        Projection = projection;
    }

    /// <summary>The feature mean of the fitting sample.</summary>
    public double[] Mean { get; }

    /// <summary>One row of weights per bit (Bits x feature length): principal directions times the learned rotation.</summary>
    public double[][] Projection { get; }

    public int Bits => Projection.Length;

    public int FeatureLength => Mean.Length;

    /// <summary>
    /// Fits on <paramref name="sample"/> (rows of equal length). The start rotation is drawn from
    /// <paramref name="seed"/>, so a fit is reproducible. <paramref name="losses"/>, when given, receives the
    /// quantization loss ||B - VR||^2 / n before each rotation update and after the last.
    /// </summary>
    public static ItqRotation Fit(IReadOnlyList<double[]> sample, int bits, int seed, int iterations = DefaultIterations,
        IList<double>? losses = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        HammingCode.ValidateBits(bits);
        if (sample.Count < 2) throw new ArgumentException("ITQ needs at least two feature vectors.", nameof(sample));
        int d = sample[0].Length;
        if (sample.Any(x => x.Length != d)) throw new ArgumentException("feature vectors differ in length.", nameof(sample));
        if (bits > d) throw new ArgumentException($"{bits} bits exceed the {d} feature dimensions.", nameof(bits));
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);

        var mean = new double[d];
        foreach (var x in sample)
            for (int i = 0; i < d; i++) mean[i] += x[i];
        for (int i = 0; i < d; i++) mean[i] /= sample.Count;
        var centred = sample.Select(x => x.Select((v, i) => v - mean[i]).ToArray()).ToArray();

        var random = new GaussianSampler(seed);
        var directions = PrincipalSubspace(centred, bits, random); // bits x d, orthonormal rows
        var projected = centred.Select(x => SignCode.Project(directions, x)).ToArray(); // n x bits
        var rotation = Orthonormalise(Enumerable.Range(0, bits).Select(_ => random.NextVector(bits)).ToArray()); // rows

        for (int iteration = 0; iteration <= iterations; iteration++)
        {
            // Z = V R (R columns are rotation rows); B = sign(Z); loss = ||B - Z||^2 / n.
            var m = new double[bits, bits]; // M = V^T B
            double loss = 0;
            foreach (var v in projected)
            {
                var z = SignCode.Project(rotation, v);
                for (int j = 0; j < bits; j++)
                {
                    double b = z[j] > 0 ? 1 : -1;
                    loss += (b - z[j]) * (b - z[j]);
                    for (int i = 0; i < bits; i++) m[i, j] += v[i] * b;
                }
            }
            losses?.Add(loss / projected.Length);
            if (iteration == iterations) break;
            rotation = PolarFactorRows(m);
        }

        var projection = new double[bits][];
        for (int j = 0; j < bits; j++)
        {
            var row = new double[d];
            for (int k = 0; k < bits; k++)
            {
                double r = rotation[j][k];
                var direction = directions[k];
                for (int i = 0; i < d; i++) row[i] += r * direction[i];
            }
            projection[j] = row;
        }
        return new ItqRotation(mean, projection);
    }

    public HammingCode Hash(ReadOnlySpan<double> features)
    {
        if (features.Length != FeatureLength)
            throw new ArgumentException($"expected {FeatureLength} features, got {features.Length}.", nameof(features));
        var centred = new double[features.Length];
        for (int i = 0; i < centred.Length; i++) centred[i] = features[i] - Mean[i];
        return SignCode.Of(SignCode.Project(Projection, centred));
    }

    /// <summary>
    /// The top-<paramref name="count"/> principal subspace of the centred rows by orthogonal (subspace) iteration on the
    /// covariance: no d x d eigendecomposition, and exact enough since ITQ rotates within the subspace anyway.
    /// </summary>
    private static double[][] PrincipalSubspace(double[][] centred, int count, GaussianSampler random)
    {
        int d = centred[0].Length;
        var basis = Orthonormalise(Enumerable.Range(0, count).Select(_ => random.NextVector(d)).ToArray());
        for (int iteration = 0; iteration < PcaIterations; iteration++)
        {
            // Next = X^T X Q, row by row of X: each row adds (x . q_k) x to column k.
            var next = new double[count][];
            for (int k = 0; k < count; k++) next[k] = new double[d];
            foreach (var x in centred)
            {
                var scores = SignCode.Project(basis, x);
                for (int k = 0; k < count; k++)
                {
                    double s = scores[k];
                    var target = next[k];
                    for (int i = 0; i < d; i++) target[i] += s * x[i];
                }
            }
            basis = Orthonormalise(next);
        }
        return basis;
    }

    /// <summary>Modified Gram-Schmidt on rows; a row left without length (rank-deficient data) becomes a fresh unit axis.</summary>
    private static double[][] Orthonormalise(double[][] rows)
    {
        int d = rows[0].Length;
        var result = new double[rows.Length][];
        for (int r = 0; r < rows.Length; r++)
        {
            var v = (double[])rows[r].Clone();
            for (int attempt = 0; ; attempt++)
            {
                for (int p = 0; p < r; p++)
                {
                    double dot = 0;
                    for (int i = 0; i < d; i++) dot += v[i] * result[p][i];
                    for (int i = 0; i < d; i++) v[i] -= dot * result[p][i];
                }
                double norm = Math.Sqrt(v.Sum(x => x * x));
                if (norm > 1e-10 || attempt >= d) { for (int i = 0; i < d; i++) v[i] /= norm > 0 ? norm : 1; break; }
                v = new double[d];
                v[(r + attempt) % d] = 1;
            }
            result[r] = v;
        }
        return result;
    }

    /// <summary>
    /// The orthogonal R maximising tr(R^T M) (the Procrustes step of ITQ): the polar factor M (M^T M)^(-1/2), equal to
    /// U W^T of the SVD M = U S W^T, from the eigendecomposition of the small bits x bits matrix M^T M. Returned as rows
    /// of R^T, i.e. row j holds the weights of output bit j on the principal projections.
    /// </summary>
    private static double[][] PolarFactorRows(double[,] m)
    {
        int n = m.GetLength(0);
        var gram = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += m[k, i] * m[k, j];
                gram[i, j] = s;
            }
        var inverseRoot = SymmetricEigen.InverseSquareRoot(gram, 1e-12);
        var rows = new double[n][];
        for (int j = 0; j < n; j++)
        {
            rows[j] = new double[n];
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += m[i, k] * inverseRoot[k, j];
                rows[j][i] = s; // R[i, j]: weight of principal projection i in bit j
            }
        }
        return rows;
    }
}
