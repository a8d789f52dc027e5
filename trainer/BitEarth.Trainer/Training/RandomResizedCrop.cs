using static TorchSharp.torch;

namespace BitEarth.Trainer.Training;

/// <summary>
/// Random square crop of each sample, resampled back to the input side: a patch's land cover is the same in any
/// large part of it, so a few dozen patches become many slightly different views of their class (position, scale,
/// and the spectral moments the head sees). Crop sides are drawn between <see cref="MinScale"/> and the whole side,
/// from the caller's seeded generator.
/// </summary>
public static class RandomResizedCrop
{
    public const double MinScale = 0.6;

    public static Tensor Apply(Tensor batch, Random rng)
    {
        int side = (int)batch.shape[3];
        if (batch.shape[2] != side) throw new ArgumentException("Crops need square inputs.", nameof(batch));
        var views = new Tensor[batch.shape[0]];
        for (int n = 0; n < views.Length; n++)
        {
            int crop = (int)Math.Round(side * (MinScale + (1 - MinScale) * rng.NextDouble()));
            int top = rng.Next(side - crop + 1), left = rng.Next(side - crop + 1);
            var view = batch[n].narrow(1, top, crop).narrow(2, left, crop).unsqueeze(0);
            views[n] = crop == side ? view
                : nn.functional.interpolate(view, [side, side], mode: InterpolationMode.Bilinear, align_corners: false);
        }
        return cat(views, 0);
    }
}
