using BitEarth.Core.Hashing;

namespace BitEarth.Core.Tests.Hashing;

public class ItqRotationTests
{
    /// <summary>
    /// 400 points in 48 dimensions around 8 cluster centres, with an offset so centring matters and anisotropic noise
    /// so the principal directions are not the axes; scaled so projections are of the order of the +-1 codes.
    /// </summary>
    private static List<double[]> Clusters(int seed)
    {
        var random = new GaussianSampler(seed);
        var centres = Enumerable.Range(0, 8).Select(_ => random.NextVector(48).Select(v => 3 * v).ToArray()).ToArray();
        return Enumerable.Range(0, 400).Select(i =>
        {
            var noise = random.NextVector(48);
            return centres[i % 8].Select((c, d) => 5 + 0.1 * (c + noise[d] * (1 + d % 5))).ToArray();
        }).ToList();
    }

    [Fact]
    public void Projection_rows_are_orthonormal()
    {
        var itq = ItqRotation.Fit(Clusters(1), bits: 16, seed: 3);
        for (int a = 0; a < itq.Bits; a++)
            for (int b = 0; b < itq.Bits; b++)
            {
                double dot = itq.Projection[a].Zip(itq.Projection[b], (x, y) => x * y).Sum();
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 9);
            }
    }

    [Fact]
    // Measured: 6.16 -> 5.06 (-18%) on this sample; a fit that did not rotate would stay at the first value.
    public void Quantization_loss_never_increases_and_ends_well_below_the_random_rotation()
    {
        var losses = new List<double>();
        ItqRotation.Fit(Clusters(2), bits: 16, seed: 4, iterations: 50, losses: losses);
        Assert.Equal(51, losses.Count);
        for (int i = 1; i < losses.Count; i++) Assert.True(losses[i] <= losses[i - 1] + 1e-9 * losses[0], $"loss rose at {i}: {losses[i - 1]} -> {losses[i]}");
        Assert.True(losses[^1] < 0.9 * losses[0], $"loss {losses[0]:F3} -> {losses[^1]:F3}");
    }

    [Fact]
    public void Codes_of_the_sample_are_balanced_per_bit()
    {
        var sample = Clusters(5);
        var itq = ItqRotation.Fit(sample, bits: 16, seed: 6);
        var codes = sample.Select(x => itq.Hash(x)).ToList();
        for (int bit = 0; bit < itq.Bits; bit++)
        {
            double ones = codes.Count(c => (c.Words[bit >> 6] >> (bit & 63) & 1) == 1) / (double)codes.Count;
            Assert.InRange(ones, 0.2, 0.8);
        }
    }

    [Fact]
    public void Same_seed_fits_the_same_projection()
    {
        var sample = Clusters(7);
        var a = ItqRotation.Fit(sample, 16, seed: 9);
        var b = ItqRotation.Fit(sample, 16, seed: 9);
        Assert.Equal(a.Mean, b.Mean);
        Assert.Equal(a.Projection, b.Projection);
    }

    [Fact]
    public void Codes_keep_neighbours_closer_than_strangers()
    {
        var sample = Clusters(8);
        var itq = ItqRotation.Fit(sample, 16, seed: 10);
        var codes = sample.Select(x => itq.Hash(x)).ToList();
        double same = 0, other = 0;
        int nSame = 0, nOther = 0;
        for (int i = 0; i < codes.Count; i += 3)
            for (int j = i + 1; j < codes.Count; j += 7)
            {
                int d = codes[i].DistanceTo(codes[j]);
                if (i % 8 == j % 8) { same += d; nSame++; } else { other += d; nOther++; }
            }
        Assert.True(same / nSame < 0.6 * (other / nOther), $"same-cluster {same / nSame:F2} vs other {other / nOther:F2}");
    }

    [Fact]
    public void Bad_input_is_refused_with_a_reason()
    {
        Assert.Throws<ArgumentException>(() => ItqRotation.Fit([new double[4]], 8, 1));
        Assert.Throws<ArgumentException>(() => ItqRotation.Fit([new double[4], new double[5]], 8, 1));
        Assert.Throws<ArgumentException>(() => ItqRotation.Fit([new double[4], new double[4]], 8, 1));
        var itq = ItqRotation.Fit(Clusters(1), 8, 1);
        Assert.Throws<ArgumentException>(() => itq.Hash(new double[3]));
    }
}
