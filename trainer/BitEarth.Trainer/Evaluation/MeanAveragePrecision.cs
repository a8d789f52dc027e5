namespace BitEarth.Trainer.Evaluation;

/// <summary>
/// mAP@k of Hamming retrieval: every query ranks the database by Hamming distance (ties by database order); a hit is
/// relevant when it shares at least one label with the query. AP@k = sum over relevant ranks i of precision@i,
/// divided by the number of relevant hits in the top k (0 when there are none).
/// </summary>
public static class MeanAveragePrecision
{
    /// <param name="excludeSameIndex">query i and database item i are the same sample and must not retrieve each other</param>
    public static double AtK(bool[][] queryCodes, float[][] queryLabels, bool[][] databaseCodes, float[][] databaseLabels, int k, bool excludeSameIndex)
    {
        if (queryCodes.Length == 0) return 0;
        double sum = 0;
        for (int q = 0; q < queryCodes.Length; q++)
        {
            var ranked = Enumerable.Range(0, databaseCodes.Length)
                .Where(d => !(excludeSameIndex && d == q))
                .OrderBy(d => Hamming(queryCodes[q], databaseCodes[d])).ThenBy(d => d)
                .Take(k);
            int rank = 0, relevant = 0;
            double precisionSum = 0;
            foreach (int d in ranked)
            {
                rank++;
                if (!SharesLabel(queryLabels[q], databaseLabels[d])) continue;
                relevant++;
                precisionSum += (double)relevant / rank;
            }
            sum += relevant == 0 ? 0 : precisionSum / relevant;
        }
        return sum / queryCodes.Length;
    }

    private static int Hamming(bool[] a, bool[] b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) d++;
        return d;
    }

    private static bool SharesLabel(float[] a, float[] b)
    {
        for (int i = 0; i < a.Length; i++) if (a[i] > 0.5f && b[i] > 0.5f) return true;
        return false;
    }
}
