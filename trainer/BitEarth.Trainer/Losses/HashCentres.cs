using System.Numerics;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Losses;

/// <summary>
/// The class hash centres of Central Similarity Quantization (Yuan et al., CVPR 2020): one target code per class, far
/// apart. As in the paper: rows of the Sylvester Hadamard matrix and their complements (every pair bits/2 or bits
/// apart) when the code length has one (a power of two) and the classes fit (at most 2·bits); otherwise every bit of
/// every centre is drawn from Bernoulli(0.5), whose pairs sit bits/2 apart on average.
/// </summary>
public static class HashCentres
{
    /// <summary>[classes, bits] of 0/1; the random centres are drawn from <paramref name="seed"/>.</summary>
    public static Tensor For(int classes, int bits, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bits);
        if (bits < 31 && classes > 1 << bits) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{bits} bits have fewer than {classes} distinct codes.");
        var centres = BitOperations.IsPow2(bits) && classes <= 2 * bits ? Hadamard(classes, bits) : Bernoulli(classes, bits, seed);
        return tensor(centres, [classes, bits]);
    }

    /// <summary>
    /// Rows 1..bits-1, then their complements, then the all-ones row and its complement: the constant rows come last,
    /// so up to 2·(bits-1) classes every bit splits the classes.
    /// </summary>
    private static float[] Hadamard(int classes, int bits)
    {
        var centres = new float[classes * bits];
        for (int c = 0; c < classes; c++)
        {
            (int row, bool complement) = c < 2 * (bits - 1) ? (c % (bits - 1) + 1, c >= bits - 1) : (0, c == 2 * bits - 1);
            for (int j = 0; j < bits; j++)
            {
                bool positive = BitOperations.PopCount((uint)(row & j)) % 2 == 0;
                centres[c * bits + j] = positive != complement ? 1 : 0;
            }
        }
        return centres;
    }

    /// <summary>A centre equal to an earlier one is drawn again: two classes with one centre could not be told apart.</summary>
    private static float[] Bernoulli(int classes, int bits, int seed)
    {
        var rng = new Random(seed);
        var drawn = new HashSet<string>(StringComparer.Ordinal);
        var centres = new float[classes * bits];
        for (int c = 0; c < classes; c++)
        {
            var centre = centres.AsSpan(c * bits, bits);
            do
            {
                for (int j = 0; j < bits; j++) centre[j] = rng.Next(2);
            }
            while (!drawn.Add(string.Concat(centre.ToArray().Select(v => v == 1 ? '1' : '0'))));
        }
        return centres;
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
