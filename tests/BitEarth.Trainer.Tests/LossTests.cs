using BitEarth.Trainer.Losses;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Tests;

public class LossTests
{
    private static readonly float[] NearAndFarFromBinary = [0f, 1f, 0.5f, 0.9f];

    [Fact]
    public void Hash_centres_are_half_the_code_apart_and_a_sample_targets_its_classes_majority()
    {
        using var centres = HashCentres.For(10, 64, seed: 1);
        var rows = Enumerable.Range(0, 10).Select(c => centres[c].data<float>().ToArray()).ToArray();
        for (int a = 0; a < 10; a++)
        {
            Assert.Equal(32, rows[a].Count(v => v == 1)); // every centre splits the bits evenly
            for (int b = a + 1; b < 10; b++) Assert.Equal(32, rows[a].Zip(rows[b]).Count(p => p.First != p.Second));
        }
        using var labels = tensor(new float[] { 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, /**/ 1, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, [2, 10]);
        var targets = HashCentres.Targets(labels, centres).data<float>().ToArray();
        Assert.Equal(rows[1], targets[..64]);
        for (int j = 0; j < 64; j++) // two classes: their shared bits, 0.5 where they disagree
            Assert.Equal(rows[0][j] == rows[1][j] ? rows[0][j] : 0.5f, targets[64 + j]);
    }

    [Theory]
    [InlineData(64, 126)] // every row but the all-ones one, and their complements
    [InlineData(64, 128)] // the all-ones row and its complement too: 2·bits centres
    [InlineData(16, 32)]
    public void Hadamard_centres_are_distinct_and_at_least_half_the_code_apart(int bits, int classes)
    {
        var rows = Rows(HashCentres.For(classes, bits, seed: 1), classes);
        for (int a = 0; a < classes; a++)
            for (int b = a + 1; b < classes; b++)
                Assert.True(Distance(rows[a], rows[b]) is var d && (d == bits / 2 || d == bits), $"centres {a} and {b} are {d} apart");
        Assert.Equal(rows, Rows(HashCentres.For(classes, bits, seed: 2), classes)); // Hadamard rows do not depend on the seed
    }

    [Theory]
    [InlineData(24, 10)] // no Hadamard matrix of order 24 in Sylvester's family
    [InlineData(16, 40)] // more classes than 2·bits
    public void Without_a_hadamard_matrix_centres_are_seeded_bernoulli_draws(int bits, int classes)
    {
        var rows = Rows(HashCentres.For(classes, bits, seed: 42), classes);
        Assert.Equal(rows, Rows(HashCentres.For(classes, bits, seed: 42), classes));
        Assert.NotEqual(rows, Rows(HashCentres.For(classes, bits, seed: 43), classes));
        var distances = new List<int>();
        for (int a = 0; a < classes; a++)
            for (int b = a + 1; b < classes; b++) distances.Add(Distance(rows[a], rows[b]));
        Assert.All(distances, d => Assert.True(d > 0, "two classes share a centre"));
        // Bernoulli(0.5) bits: a pair's distance is Binomial(bits, 1/2), sd sqrt(bits)/2; the mean of the pairs is much tighter.
        Assert.InRange(distances.Average(), bits / 2.0 - 1.5, bits / 2.0 + 1.5);
        Assert.InRange(rows.SelectMany(r => r).Average(), 0.4, 0.6);
    }

    private static float[][] Rows(Tensor centres, int classes)
    {
        using (centres) return [.. Enumerable.Range(0, classes).Select(c => centres[c].data<float>().ToArray())];
    }

    private static int Distance(float[] a, float[] b) => a.Zip(b).Count(p => p.First != p.Second);

    [Fact]
    public void Mining_picks_the_closest_and_farthest_labels()
    {
        float[][] labels =
        [
            [1, 0, 0, 0], // 0: anchor
            [1, 1, 1, 0], // 1: two labels differ
            [1, 1, 0, 0], // 2: one differs -> positive
            [0, 1, 1, 1], // 3: four differ -> negative
            [0, 0, 1, 0], // 4: two differ
        ];
        var distances = labels.Select(_ => new float[labels.Length]).ToArray();
        var triplets = TripletMining.Mine(labels, labels, distances, sameSet: true);
        Assert.Equal(new Triplet(0, 2, 3), triplets[0]);
        Assert.All(triplets, t => Assert.NotEqual(t.Anchor, t.Positive));
    }

    [Fact]
    public void Mining_breaks_label_ties_by_hardness_in_code_space()
    {
        float[][] anchor = [[1, 0]];
        float[][] candidates = [[1, 0], [1, 0], [0, 1], [0, 1]];
        float[][] distances = [[1f, 5f, 7f, 2f]];
        var triplet = Assert.Single(TripletMining.Mine(anchor, candidates, distances, sameSet: false));
        Assert.Equal(new Triplet(0, 1, 3), triplet); // farthest positive, nearest negative
    }

    [Fact]
    public void Anchor_without_a_less_similar_candidate_yields_no_triplet()
    {
        float[][] labels = [[1, 0], [1, 0], [1, 0]];
        var distances = labels.Select(_ => new float[3]).ToArray();
        Assert.Empty(TripletMining.Mine(labels, labels, distances, sameSet: true));
    }

    [Fact]
    public void Triplet_loss_is_the_hinge_on_squared_distances()
    {
        using var codes = tensor(new float[] { 0, 0, 1, 0, 1, 1 }, [3, 2]); // a=(0,0) p=(1,0) n=(1,1)
        using var labels = tensor(new float[] { 1, 0, 1, 0, 0, 1 }, [3, 2]);
        using var anchors = codes.narrow(0, 0, 1);
        using var anchorLabels = labels.narrow(0, 0, 1);
        // |a-p|^2 = 1, |a-n|^2 = 2, margin 1.5 -> 0.5
        Assert.Equal(0.5f, HashLosses.Triplet(anchors, anchorLabels, codes, labels, sameSet: false, margin: 1.5).item<float>(), 5);
    }

    [Fact]
    public void Quantization_is_the_squared_distance_to_the_nearest_binary_value()
    {
        using var bits = tensor(NearAndFarFromBinary, [1, 4]);
        // (0, 0, 0.25, 0.01) / 4
        Assert.Equal(0.065f, HashLosses.Quantization(bits).item<float>(), 5);
    }

    [Fact]
    public void Bit_balance_is_zero_for_balanced_bits_and_quarter_for_constant_ones()
    {
        using var balanced = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var constant = tensor(new float[] { 1, 0, 1, 0 }, [2, 2]);
        Assert.Equal(0f, HashLosses.BitBalance(balanced).item<float>(), 6);
        Assert.Equal(0.25f, HashLosses.BitBalance(constant).item<float>(), 6);
    }

    [Fact]
    public void Similarity_mse_regresses_code_cosine_onto_label_cosine()
    {
        using var codes = tensor(new float[] { 1, 1, 0, 0 }, [2, 2]); // as +-1: (1,1), (-1,-1): cosine -1 off-diagonal
        using var labels = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]); // label cosine 0 off-diagonal, 1 on it
        Assert.Equal(0.5f, HashLosses.SimilarityMse(codes, labels, codes, labels).item<float>(), 5);
    }
}
