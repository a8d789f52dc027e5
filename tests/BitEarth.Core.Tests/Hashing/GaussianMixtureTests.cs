using BitEarth.Core.Hashing;

namespace BitEarth.Core.Tests.Hashing;

public class GaussianMixtureTests
{
    [Fact]
    public void EM_separates_two_distant_clusters_and_recovers_their_weights()
    {
        var random = new GaussianSampler(11);
        var data = Enumerable.Range(0, 300).Select(i => i < 200
            ? new[] { random.Next() * 0.5, random.Next() * 0.5 }
            : new[] { 8 + random.Next() * 0.5, -6 + random.Next() * 0.5 }).ToList();
        var mixture = GaussianMixture.Fit(data, 2, new GaussianSampler(3));

        int first = mixture.MostLikely(data[0]);
        Assert.All(data.Take(200), x => Assert.Equal(first, mixture.MostLikely(x)));
        Assert.All(data.Skip(200), x => Assert.NotEqual(first, mixture.MostLikely(x)));
        Assert.Equal(2.0 / 3, mixture.Weights[first], 2);
        Assert.Equal(8, mixture.Means[1 - first][0], 0);
        Assert.All(mixture.Variances.SelectMany(v => v), v => Assert.InRange(v, 0.1, 0.5));
    }

    [Fact]
    public void Fewer_rows_than_primitives_is_refused()
    {
        Assert.Throws<ArgumentException>(() => GaussianMixture.Fit([[1.0], [2.0]], 3, new GaussianSampler(1)));
    }
}
