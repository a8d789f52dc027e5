using static TorchSharp.torch;

namespace BitEarth.Trainer.Training;

/// <summary>
/// Random symmetry of the square per sample: land cover has no preferred orientation, so each patch is flipped
/// horizontally, vertically and transposed with probability 1/2 each, which reaches all 8 elements of the dihedral
/// group D4 (rotations by 90° and reflections). Draws from the caller's seeded generator, not torch's global one,
/// so a training run stays deterministic whatever else runs in the process.
/// </summary>
public static class D4Augmentation
{
    public static Tensor Apply(Tensor batch, Random rng)
    {
        if (batch.shape[2] != batch.shape[3]) throw new ArgumentException("D4 symmetries need square inputs.", nameof(batch));
        var x = Choose(batch, batch.flip(3), rng);
        x = Choose(x, x.flip(2), rng);
        return Choose(x, x.transpose(2, 3), rng);
    }

    private static Tensor Choose(Tensor keep, Tensor changed, Random rng)
    {
        var flags = Enumerable.Range(0, (int)keep.shape[0]).Select(_ => rng.Next(2) == 1).ToArray();
        var choose = tensor(flags, device: keep.device).reshape(-1, 1, 1, 1);
        return where(choose, changed, keep);
    }
}
