using static TorchSharp.torch;

namespace BitEarth.Trainer.Pretrained;

/// <summary>
/// Turns the ImageNet stem (7x7 filters over B, G, R pixels minus the mean image, 0..255) into a stem over the
/// trainer's standardised bands. The trainer feeds z = (x - mean) / std per band; the ImageNet network was fed
/// pixel - mean, whose spread is the ImageNet per-channel standard deviation σ (0.225, 0.224, 0.229 of 255 for B, G,
/// R), so each RGB filter is multiplied by its σ: a standardised band then drives the filter as a typical photo's
/// channel does. B04/B03/B02 (red/green/blue) take the R/G/B filters; every other band (S2 B01, B05..B12, B8A; S1 VV,
/// VH) takes the mean of the three σ-scaled filters. Then all filters are scaled by 3/C for C bands, so a patch
/// whose bands all move together (z equal in every band, the common case: bands are strongly correlated) gets the
/// same stem activation as a grey photo through the original three filters: 3/C · (3 + C - 3) · mean filter = 3 ·
/// mean filter.
/// </summary>
public static class MultispectralStem
{
    /// <summary>Pixel standard deviations of ImageNet in the file's channel order B, G, R (0..255 scale).</summary>
    public static readonly IReadOnlyList<float> BgrSigma = [0.225f * 255, 0.224f * 255, 0.229f * 255];

    /// <summary>The band each of the file's channels (B, G, R) goes to.</summary>
    public static readonly IReadOnlyList<string> BgrBands = ["B02", "B03", "B04"];

    /// <summary>[64, C, k, k] weights for <paramref name="bands"/> from the [64, 3, k, k] BGR stem weights.</summary>
    public static Tensor Map(Tensor bgrWeight, IReadOnlyList<string> bands)
    {
        if (bgrWeight.shape.Length != 4 || bgrWeight.shape[1] != 3)
            throw new ArgumentException($"The ImageNet stem has 3 input channels, got shape [{string.Join(",", bgrWeight.shape)}].", nameof(bgrWeight));
        using var scope = NewDisposeScope();
        var scaled = Enumerable.Range(0, 3).Select(c => bgrWeight.select(1, c) * BgrSigma[c]).ToArray();
        var mean = stack(scaled).mean([0]);
        var perBand = bands.Select(band =>
        {
            int c = IndexOf(band);
            return c >= 0 ? scaled[c] : mean;
        }).ToArray();
        return (stack(perBand, 1) * (3.0 / bands.Count)).MoveToOuterDisposeScope();
    }

    private static int IndexOf(string band)
    {
        for (int c = 0; c < BgrBands.Count; c++)
            if (string.Equals(BgrBands[c], band, StringComparison.OrdinalIgnoreCase)) return c;
        return -1;
    }
}
