using static TorchSharp.torch;

namespace BitEarth.Trainer.Losses;

/// <summary>
/// The class hash centres of Central Similarity Quantization (Yuan et al., CVPR 2020): one target code per class, far
/// apart. Rows of a Sylvester Hadamard matrix and their complements (every pair bits/2 or bits apart) when they
/// suffice, the all-ones row left out so every bit splits the classes; otherwise seeded random codes.
/// </summary>
public static class HashCentres
{
    /// <summary>[classes, bits] of 0/1; <paramref name="bits"/> is a power of two (8..128).</summary>
    public static Tensor For(int classes, int bits, int seed)
    {
        var centres = new float[classes * bits];
        if (classes <= 2 * (bits - 1))
        {
            for (int c = 0; c < classes; c++)
            {
                int row = c % (bits - 1) + 1;
                bool complement = c >= bits - 1;
                for (int j = 0; j < bits; j++)
                {
                    bool positive = System.Numerics.BitOperations.PopCount((uint)(row & j)) % 2 == 0;
                    centres[c * bits + j] = positive != complement ? 1 : 0;
                }
            }
        }
        else
        {
            var rng = new Random(seed);
            for (int i = 0; i < centres.Length; i++) centres[i] = rng.Next(2);
        }
        return tensor(centres, [classes, bits]);
    }

    /// <summary>
    /// Each sample's target code: its classes' centres by majority per bit (multi-hot rows of
    /// <paramref name="labels"/>); a tied bit, or a sample without labels, gets 0.5, which pulls neither way.
    /// </summary>
    public static Tensor Targets(Tensor labels, Tensor centres)
    {
        var votes = labels.matmul(centres * 2 - 1);
        return (votes.sign() + 1) / 2;
    }
}
