using BitEarth.Core.Patches;
using BitEarth.Trainer.Pretrained;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Tests.Pretrained;

public class MultispectralStemTests
{
    [Fact]
    public void Rgb_filters_land_on_B04_B03_B02_and_other_bands_get_the_scaled_mean_filter()
    {
        random.manual_seed(2);
        using var bgr = randn(64, 3, 7, 7);
        using var stem = MultispectralStem.Map(bgr, Bands.S2);
        Assert.Equal(new long[] { 64, 12, 7, 7 }, stem.shape);

        double scale = 3.0 / Bands.S2.Count;
        var sigma = MultispectralStem.BgrSigma;
        using var blue = bgr.select(1, 0) * sigma[0] * scale;
        using var green = bgr.select(1, 1) * sigma[1] * scale;
        using var red = bgr.select(1, 2) * sigma[2] * scale;
        using var mean = (blue + green + red) / 3;
        for (int b = 0; b < Bands.S2.Count; b++)
        {
            var expected = Bands.S2[b] switch { "B02" => blue, "B03" => green, "B04" => red, _ => mean };
            using var actual = stem.select(1, b);
            Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6), $"band {Bands.S2[b]}");
        }
    }

    [Fact]
    public void A_patch_whose_bands_move_together_drives_the_stem_as_a_grey_photo_drives_the_rgb_stem()
    {
        random.manual_seed(3);
        using var bgr = randn(64, 3, 7, 7);
        using var grey = bgr.select(1, 0) * MultispectralStem.BgrSigma[0] + bgr.select(1, 1) * MultispectralStem.BgrSigma[1]
            + bgr.select(1, 2) * MultispectralStem.BgrSigma[2];
        foreach (var bands in new[] { Bands.S2, Bands.S1 })
        {
            using var stem = MultispectralStem.Map(bgr, bands);
            // an input equal in every band sums the filters over bands
            using var summed = stem.sum([1]);
            Assert.True(summed.allclose(grey, rtol: 1e-4, atol: 1e-4), $"{bands.Count} bands");
        }
    }

    [Fact]
    public void S1_bands_both_start_from_the_mean_filter()
    {
        random.manual_seed(4);
        using var bgr = randn(64, 3, 7, 7);
        using var stem = MultispectralStem.Map(bgr, Bands.S1);
        Assert.Equal(new long[] { 64, 2, 7, 7 }, stem.shape);
        using var vv = stem.select(1, 0);
        using var vh = stem.select(1, 1);
        Assert.True(vv.eq(vh).all().item<bool>());
    }
}
