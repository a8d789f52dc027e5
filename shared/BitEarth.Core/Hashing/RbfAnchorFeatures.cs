namespace BitEarth.Core.Hashing;

/// <summary>
/// Kernel features of a standardised descriptor: k_j(z) = exp(-gamma * |z - anchor_j|^2) - center_j, the
/// anchor-graph representation KLSH and KSH hash from. Centers are zero for KLSH and the training means for KSH.
/// </summary>
internal sealed class RbfAnchorFeatures(double[][] anchors, double gamma, double[] centers)
{
    public double[][] Anchors { get; } = anchors;

    public double Gamma { get; } = gamma;

    public double[] Centers { get; } = centers;

    public int Count => Anchors.Length;

    /// <summary>Picks <paramref name="count"/> anchors at random and sets the bandwidth to the mean anchor distance.</summary>
    public static RbfAnchorFeatures Choose(IReadOnlyList<double[]> standardised, int count, GaussianSampler random)
    {
        var anchors = random.Subset(standardised.Count, Math.Min(count, standardised.Count))
            .Select(i => standardised[i]).ToArray();
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < anchors.Length; i++)
            for (int j = i + 1; j < anchors.Length; j++) { sum += Math.Sqrt(SquaredDistance(anchors[i], anchors[j])); pairs++; }
        double sigma = pairs > 0 && sum > 0 ? sum / pairs : 1;
        return new RbfAnchorFeatures(anchors, 1 / (2 * sigma * sigma), new double[anchors.Length]);
    }

    public RbfAnchorFeatures WithCenters(double[] centers) => new(Anchors, Gamma, centers);

    public double[] Of(ReadOnlySpan<double> z)
    {
        var k = new double[Anchors.Length];
        for (int j = 0; j < k.Length; j++) k[j] = Math.Exp(-Gamma * SquaredDistance(z, Anchors[j])) - Centers[j];
        return k;
    }

    private static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double d = 0;
        for (int i = 0; i < a.Length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
        return d;
    }
}
