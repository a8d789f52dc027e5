using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Hashing;

public class SpectralDescriptorTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(120)]
    [InlineData(1)]
    public void Length_is_fixed_per_modality_whatever_the_patch_size(int size)
    {
        var random = new Random(1);
        Assert.Equal(SpectralDescriptor.Length(Modality.S2), SpectralDescriptor.Compute(SyntheticPatches.S2("p", 1, 2, 1, size, random)).Length);
        Assert.Equal(SpectralDescriptor.Length(Modality.S1), SpectralDescriptor.Compute(SyntheticPatches.S1("q", -10, -17, size, random)).Length);
        // 12 bands x (5 statistics + 8 histogram bins) + 3 indices x (mean, std); 2 x 13 + 1 x 2.
        Assert.Equal(162, SpectralDescriptor.Length(Modality.S2));
        Assert.Equal(28, SpectralDescriptor.Length(Modality.S1));
    }

    [Fact]
    public void Uniform_patch_gives_exact_statistics_histogram_and_indices()
    {
        // Bands.S2 order: B01 B02 B03 B04 B05 B06 B07 B08 B8A B09 B11 B12
        float[] spectrum = [100, 200, 600, 1000, 1200, 1600, 2500, 3000, 3200, 3400, 2000, 800];
        var d = SpectralDescriptor.Compute(SyntheticPatches.Uniform("u", spectrum, 8));
        int perBand = 13;
        // B04 = 1000 DN = 0.1 reflectance: mean = p10 = p50 = p90 = 0.1, std 0; histogram bin [1000, 1500) is bin 4.
        int b04 = 3 * perBand;
        Assert.Equal(0.1, d[b04], 6);
        Assert.Equal(0.0, d[b04 + 1], 6);
        Assert.Equal(0.1, d[b04 + 2], 6);
        Assert.Equal(0.1, d[b04 + 4], 6);
        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 0], d.Skip(b04 + 5).Take(8));
        // B08 = 3000 falls in the open top bin [3000, inf).
        Assert.Equal(1.0, d[7 * perBand + 5 + 7], 6);
        int indices = 12 * perBand;
        Assert.Equal((3000.0 - 1000) / (3000 + 1000), d[indices], 6);   // NDVI
        Assert.Equal((600.0 - 3000) / (600 + 3000), d[indices + 2], 6); // NDWI
        Assert.Equal((2000.0 - 3000) / (2000 + 3000), d[indices + 4], 6); // NDBI
        Assert.Equal(0.0, d[indices + 1], 6);
    }

    [Fact]
    public void Percentiles_and_histogram_follow_the_pixel_distribution()
    {
        // B02 holds 0, 100, ..., 900 DN over 10 pixels; other bands constant.
        var patch = SyntheticPatches.Filled("r", 10, 1, (b, x, _) => b == 1 ? x * 100 : 500);
        var d = SpectralDescriptor.Compute(patch);
        int b02 = 13;
        Assert.Equal(0.045, d[b02], 6);             // mean 450 DN
        Assert.Equal(0.009, d[b02 + 2], 6);         // p10: rank 0.9 between 0 and 100 -> 90 DN
        Assert.Equal(0.045, d[b02 + 3], 6);         // p50: rank 4.5 -> 450 DN
        Assert.Equal(0.081, d[b02 + 4], 6);         // p90: rank 8.1 -> 810 DN
        // Bins <250: 0,100,200 | <500: 300,400 | <750: 500,600,700 | <1000: 800,900
        Assert.Equal([0.3, 0.2, 0.3, 0.2, 0, 0, 0, 0], d.Skip(b02 + 5).Take(8).Select(v => Math.Round(v, 6)));
    }

    [Fact]
    public void Band_order_of_the_patch_does_not_matter()
    {
        var patch = SyntheticPatches.S2("p", 1, 3, 1, 16, new Random(3));
        int area = 16 * 16;
        var reversedNames = patch.BandNames.Reverse().ToArray();
        var reversedPixels = new float[patch.Pixels.Length];
        for (int b = 0; b < 12; b++) patch.Band(11 - b).CopyTo(reversedPixels.AsSpan(b * area, area));
        var reversed = patch with { BandNames = reversedNames, Pixels = reversedPixels };
        Assert.Equal(SpectralDescriptor.Compute(patch), SpectralDescriptor.Compute(reversed));
    }

    [Fact]
    public void Missing_band_or_wrong_pixel_count_is_a_clear_error()
    {
        var patch = SyntheticPatches.S2("p", 1, 3, 1, 4, new Random(3));
        var noB08 = patch with { BandNames = patch.BandNames.Select(n => n == "B08" ? "B10" : n).ToArray() };
        Assert.Contains("B08", Assert.Throws<ArgumentException>(() => SpectralDescriptor.Compute(noB08)).Message);
        var short_ = patch with { Pixels = patch.Pixels[..^1] };
        Assert.Contains("pixels", Assert.Throws<ArgumentException>(() => SpectralDescriptor.Compute(short_)).Message);
    }

    [Fact]
    public void Non_finite_pixels_are_ignored()
    {
        var clean = SyntheticPatches.Filled("c", 4, 4, (b, x, y) => 1000 + b * 10 + x);
        var dirty = SyntheticPatches.Filled("d", 5, 4, (b, x, y) => x == 4 ? float.NaN : 1000 + b * 10 + x);
        var d = SpectralDescriptor.Compute(dirty);
        Assert.All(d, v => Assert.True(double.IsFinite(v)));
        Assert.Equal(SpectralDescriptor.Compute(clean).Take(12 * 13), d.Take(12 * 13));
    }
}
