namespace BitEarth.Core.Synthetic;

/// <summary>
/// A small, fast generator with a fixed published algorithm (Steele et al., SplitMix64), so a seed gives the same
/// archive on every runtime version and process, which <see cref="Random"/> and <see cref="HashCode"/> do not promise.
/// </summary>
internal struct SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n).</summary>
    public int Below(int n) => (int)(Next() % (ulong)n);

    /// <summary>Uniform in (0, 1], never 0 so its logarithm is finite.</summary>
    public float Unit() => ((Next() >> 40) + 1) * (1f / (1 << 24));

    /// <summary>Approximately standard normal: the centred sum of four uniforms (Irwin-Hall), scaled to unit variance; cheap and ample for sensor noise.</summary>
    public float Gaussian() => (Unit() + Unit() + Unit() + Unit() - 2f) * 1.7320508f;

    /// <summary>Gamma(shape <paramref name="looks"/>, mean 1): minus the log of a product of uniforms, over the shape.</summary>
    public float GammaUnitMean(int looks)
    {
        float product = 1f;
        for (int l = 0; l < looks; l++)
            product *= Unit();
        return -MathF.Log(product) / looks;
    }
}
