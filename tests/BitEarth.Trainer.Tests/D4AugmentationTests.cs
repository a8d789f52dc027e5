using BitEarth.Trainer.Training;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Tests;

public class D4AugmentationTests
{
    [Fact]
    public void Every_sample_becomes_one_of_the_eight_symmetries_of_itself_and_all_eight_occur()
    {
        using var batch = arange(64 * 2 * 3 * 3, dtype: float32).reshape(64, 2, 3, 3);
        using var augmented = D4Augmentation.Apply(batch, new Random(1));
        var seen = new HashSet<int>();
        for (int n = 0; n < 64; n++)
        {
            var sample = batch[n];
            // the four quarter turns of the sample and of its mirror image
            var mirror = sample.flip(2);
            var symmetries = Enumerable.Range(0, 4).SelectMany(k => new[] { QuarterTurns(sample, k), QuarterTurns(mirror, k) }).ToArray();
            int match = Array.FindIndex(symmetries, s => s.eq(augmented[n]).all().item<bool>());
            Assert.True(match >= 0, $"sample {n} is not a D4 image of itself");
            seen.Add(match);
        }
        Assert.Equal(8, seen.Count);
    }

    private static Tensor QuarterTurns(Tensor image, int k)
    {
        for (int i = 0; i < k; i++) image = image.transpose(1, 2).flip(2);
        return image;
    }
}
