namespace BitEarth.Core.Evaluation;

/// <summary>Means over queries of the <see cref="RetrievalMetrics"/> at cut-off <see cref="K"/>.</summary>
public sealed record RetrievalScores(int K, int Queries, double MeanAveragePrecision, double WeightedMeanAveragePrecision,
    double AverageCumulativeGain, double Ndcg);
