using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Models;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Tests;

public class SpectralIndicesTests
{
    private static readonly float[] S2Mean = Enumerable.Range(0, 12).Select(b => 800f + 100 * b).ToArray();
    private static readonly float[] S2Std = Enumerable.Range(0, 12).Select(b => 300f + 20 * b).ToArray();

    [Fact]
    public void S2_indices_of_reflectance_are_recovered_from_standardised_input()
    {
        var spec = new ModalityEncoder(Modality.S2, "m.onnx", Bands.S2, S2Mean, S2Std, 4);
        // left half vegetation (B08 3000, B04 1000), right half water-like (B08 1000, B04 3000); B03 1000, B11 2000
        using var input = Standardised(spec, (band, x) => band switch
        {
            "B08" => x < 2 ? 3000 : 1000,
            "B04" => x < 2 ? 1000 : 3000,
            "B03" => 1000,
            "B11" => 2000,
            _ => 1500,
        });
        using var indices = new SpectralIndices(spec);
        var features = indices.Compute(input).data<float>().ToArray();

        Assert.Equal(SpectralIndices.Width(spec), features.Length);
        // [NDVI, NDWI, NDBI] means, then their standard deviations
        float[] expectedMean = [0f, (-0.5f + 0f) / 2, (-0.2f + 1f / 3) / 2];
        float[] expectedStd = [0.5f, 0.25f, (1f / 3 + 0.2f) / 2];
        for (int i = 0; i < 3; i++)
        {
            Assert.InRange(features[i], expectedMean[i] - 1e-4, expectedMean[i] + 1e-4);
            Assert.InRange(features[3 + i], expectedStd[i] - 1e-3, expectedStd[i] + 1e-3);
        }
    }

    [Fact]
    public void S1_index_is_the_cross_polarisation_ratio_in_db()
    {
        var spec = new ModalityEncoder(Modality.S1, "m.onnx", Bands.S1, [-12f, -19f], [3f, 4f], 4);
        using var input = Standardised(spec, (band, x) => band == "VV" ? -10 : -16 - x);
        using var indices = new SpectralIndices(spec);
        var features = indices.Compute(input).data<float>().ToArray();
        Assert.InRange(features[0], -7.5f - 1e-4, -7.5f + 1e-4); // mean of VH - VV over x = 0..3
        Assert.InRange(features[1], MathF.Sqrt(1.25f) - 1e-3, MathF.Sqrt(1.25f) + 1e-3);
    }

    [Fact]
    public void Nodata_and_out_of_range_input_stay_finite_and_within_the_index_range()
    {
        var spec = new ModalityEncoder(Modality.S2, "m.onnx", Bands.S2, S2Mean, S2Std, 4);
        using var zeros = Standardised(spec, (_, _) => 0);
        using var negative = Standardised(spec, (band, _) => band == "B04" ? -50 : 40);
        using var indices = new SpectralIndices(spec);
        foreach (var input in new[] { zeros, negative })
        {
            var features = indices.Compute(input).data<float>().ToArray();
            Assert.All(features, f => Assert.True(float.IsFinite(f)));
            Assert.All(features.Take(3), f => Assert.InRange(f, -1f, 1f));
        }
    }

    [Fact]
    public void A_modality_without_the_index_bands_is_refused()
    {
        var spec = new ModalityEncoder(Modality.S2, "m.onnx", ["B02", "B03", "B04"], [0, 0, 0], [1, 1, 1], 4);
        Assert.Throws<ArgumentException>(() => new SpectralIndices(spec));
    }

    /// <summary>A [1,C,side,side] standardised input whose reflectance per band and column is given.</summary>
    private static Tensor Standardised(ModalityEncoder spec, Func<string, int, float> value)
    {
        int side = spec.InputSize, channels = spec.Bands.Count;
        var data = new float[channels * side * side];
        for (int b = 0; b < channels; b++)
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                    data[(b * side + y) * side + x] = (value(spec.Bands[b], x) - spec.Mean[b]) / spec.Std[b];
        return tensor(data, [1, channels, side, side]);
    }
}
