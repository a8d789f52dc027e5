using static TorchSharp.torch;

namespace BitEarth.Trainer.Training;

/// <summary>
/// Random symmetry of the square per sample: land cover has no preferred orientation, so each patch is flipped
/// horizontally, vertically and transposed with probability 1/2 each, which reaches all 8 elements of the dihedral
/// group D4 (rotations by 90° and reflections). Draws from torch's seeded generator, so training stays deterministic.
/// </summary>
public static class D4Augmentation
{
    public static Tensor Apply(Tensor batch)
    {
        if (batch.shape[2] != batch.shape[3]) throw new ArgumentException("D4 symmetries need square inputs.", nameof(batch));
        var x = Where(batch, batch.flip(3));
        x = Where(x, x.flip(2));
        return Where(x, x.transpose(2, 3));
    }

    private static Tensor Where(Tensor keep, Tensor changed)
    {
        var choose = (rand(keep.shape[0], device: keep.device) < 0.5).reshape(-1, 1, 1, 1);
        return where(choose, changed, keep);
    }
}
