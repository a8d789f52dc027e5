using BitEarth.Core.Codes;

namespace BitEarth.Core.Hashing;

/// <summary>Bit i of a code is 1 when score i is positive: the binarisation every projection hasher ends with.</summary>
internal static class SignCode
{
    public static HammingCode Of(ReadOnlySpan<double> scores)
    {
        HammingCode.ValidateBits(scores.Length);
        var words = new ulong[HammingCode.WordCount(scores.Length)];
        for (int i = 0; i < scores.Length; i++)
            if (scores[i] > 0) words[i >> 6] |= 1UL << (i & 63);
        return new HammingCode(scores.Length, words);
    }

    /// <summary>Scores of <paramref name="rows"/> (one weight vector per bit) against one feature vector.</summary>
    public static double[] Project(double[][] rows, ReadOnlySpan<double> features)
    {
        var scores = new double[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            var w = rows[r];
            double s = 0;
            for (int i = 0; i < features.Length; i++) s += w[i] * features[i];
            scores[r] = s;
        }
        return scores;
    }
}
