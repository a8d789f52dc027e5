namespace BitEarth.Trainer.Losses;

/// <summary>
/// In-batch triplet mining by label Hamming distance: for each anchor the positive is a candidate with the fewest
/// differing labels and the negative one with the most; among equally labelled candidates the hardest is taken
/// (positive farthest, negative nearest in code space). An anchor whose candidates all differ equally yields none.
/// </summary>
public static class TripletMining
{
    /// <param name="anchorLabels">multi-hot [anchors][labels]</param>
    /// <param name="candidateLabels">multi-hot [candidates][labels]</param>
    /// <param name="codeDistances">[anchors][candidates] current squared code distance</param>
    /// <param name="sameSet">anchors and candidates are the same samples: an anchor is never its own candidate</param>
    public static IReadOnlyList<Triplet> Mine(float[][] anchorLabels, float[][] candidateLabels, float[][] codeDistances, bool sameSet)
    {
        var triplets = new List<Triplet>();
        for (int a = 0; a < anchorLabels.Length; a++)
        {
            int positive = -1, negative = -1, positiveLabels = int.MaxValue, negativeLabels = -1;
            for (int c = 0; c < candidateLabels.Length; c++)
            {
                if (sameSet && c == a) continue;
                int d = LabelDistance(anchorLabels[a], candidateLabels[c]);
                float code = codeDistances[a][c];
                if (d < positiveLabels || (d == positiveLabels && code > codeDistances[a][positive]))
                    (positive, positiveLabels) = (c, d);
                if (d > negativeLabels || (d == negativeLabels && code < codeDistances[a][negative]))
                    (negative, negativeLabels) = (c, d);
            }
            if (positive >= 0 && negativeLabels > positiveLabels) triplets.Add(new Triplet(a, positive, negative));
        }
        return triplets;
    }

    public static int LabelDistance(float[] a, float[] b)
    {
        int d = 0;
        for (int i = 0; i < a.Length; i++) if ((a[i] > 0.5f) != (b[i] > 0.5f)) d++;
        return d;
    }
}

public readonly record struct Triplet(int Anchor, int Positive, int Negative);
