namespace BitEarth.Core.Hashing;

/// <summary>Per-feature standardisation z = (x - mean) / std, so every descriptor feature weighs alike in a projection.</summary>
public sealed class DescriptorScaling
{
    /// <summary>Features that never vary in the sample keep unit scale instead of dividing by ~0.</summary>
    private const double MinStd = 1e-9;

    public DescriptorScaling(double[] means, double[] stds)
    {
        if (means.Length != stds.Length)
            throw new ArgumentException($"Scaling has {means.Length} means but {stds.Length} stds.");
        Means = means;
        Stds = stds.Select(s => double.IsFinite(s) && s > MinStd ? s : 1.0).ToArray();
    }

    public double[] Means { get; }

    public double[] Stds { get; }

    public int Length => Means.Length;

    public static DescriptorScaling Fit(IReadOnlyList<double[]> descriptors)
    {
        if (descriptors.Count == 0) throw new ArgumentException("Cannot fit a scaling to no descriptors.");
        int length = descriptors[0].Length;
        var means = new double[length];
        var stds = new double[length];
        foreach (var d in descriptors)
            for (int i = 0; i < length; i++) means[i] += d[i] / descriptors.Count;
        foreach (var d in descriptors)
            for (int i = 0; i < length; i++) stds[i] += (d[i] - means[i]) * (d[i] - means[i]) / descriptors.Count;
        for (int i = 0; i < length; i++) stds[i] = Math.Sqrt(stds[i]);
        return new DescriptorScaling(means, stds);
    }

    public double[] Standardise(ReadOnlySpan<double> descriptor)
    {
        if (descriptor.Length != Length)
            throw new ArgumentException($"Descriptor has {descriptor.Length} features, the scaling expects {Length}.");
        var z = new double[Length];
        for (int i = 0; i < Length; i++) z[i] = (descriptor[i] - Means[i]) / Stds[i];
        return z;
    }
}
