namespace BitEarth.Core.Hashing;

/// <summary>
/// Standard normal draws from a seeded <see cref="Random"/> (whose seeded sequence is stable across .NET versions),
/// so a hasher's random parameters are a pure function of its seed.
/// </summary>
public sealed class GaussianSampler(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spare;

    public Random Uniform => _random;

    /// <summary>Box-Muller: two uniforms give two independent normals; the second is kept for the next call.</summary>
    public double Next()
    {
        if (_spare is { } spare) { _spare = null; return spare; }
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = radius * Math.Sin(2 * Math.PI * u2);
        return radius * Math.Cos(2 * Math.PI * u2);
    }

    public double[] NextVector(int length)
    {
        var v = new double[length];
        for (int i = 0; i < length; i++) v[i] = Next();
        return v;
    }

    /// <summary>A uniformly random subset of <paramref name="count"/> distinct indices in 0..n-1 (partial Fisher-Yates).</summary>
    public int[] Subset(int n, int count)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = i + _random.Next(n - i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order[..count];
    }
}
