using BitEarth.Trainer.Training;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Tests;

public class RandomResizedCropTests
{
    [Fact]
    public void Each_sample_becomes_a_square_crop_of_itself_between_the_minimum_scale_and_the_whole()
    {
        const int side = 16, samples = 40;
        // value = x + 100 y: a crop of side c resampled to the full side is again x-slope c/side and y-slope 100 c/side
        var plane = Enumerable.Range(0, side * side).Select(i => (float)(i % side + 100 * (i / side))).ToArray();
        using var batch = tensor(Enumerable.Repeat(plane, samples * 2).SelectMany(p => p).ToArray(), [samples, 2, side, side]);
        using var cropped = RandomResizedCrop.Apply(batch, new Random(5));

        Assert.Equal(batch.shape, cropped.shape);
        var scales = new List<float>();
        for (int n = 0; n < samples; n++)
        {
            var image = cropped[n][0].data<float>().ToArray();
            float xSlope = image[8 * side + 9] - image[8 * side + 8];
            float ySlope = (image[9 * side + 8] - image[8 * side + 8]) / 100;
            Assert.Equal(xSlope, ySlope, 3);
            Assert.InRange(xSlope, RandomResizedCrop.MinScale - 0.05, 1 + 1e-4);
            Assert.Equal(image, cropped[n][1].data<float>().ToArray());
            scales.Add(xSlope);
        }
        Assert.True(scales.Distinct().Count() > 3, "crop sizes vary between samples");
    }

    [Fact]
    public void Same_seed_same_crops()
    {
        using var batch = rand(6, 3, 12, 12);
        using var first = RandomResizedCrop.Apply(batch, new Random(9));
        using var second = RandomResizedCrop.Apply(batch, new Random(9));
        Assert.True(first.eq(second).all().item<bool>());
    }
}
