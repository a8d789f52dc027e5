using BitEarth.Core.Evaluation;

namespace BitEarth.Core.Tests.Evaluation;

public class RetrievalMetricsTests
{
    private static readonly string[] Query = ["a", "b"];

    /// <summary>Shared labels with the query, by rank: 2, 0, 1, 1, 0.</summary>
    private static readonly IReadOnlyList<IEnumerable<string>> Ranked =
        [["a", "b"], ["c"], ["a"], ["b", "c"], ["d"]];

    [Fact]
    public void Average_precision_by_hand()
    {
        // Top 4 relevance 1, 0, 1, 1. P@1 = 1, P@3 = 2/3, P@4 = 3/4; 3 relevant in the top 4.
        Assert.Equal((1 + 2.0 / 3 + 3.0 / 4) / 3, RetrievalMetrics.AveragePrecision(Query, Ranked, 4), 12);
        // Top 2: only rank 1 relevant, P@1 = 1.
        Assert.Equal(1, RetrievalMetrics.AveragePrecision(Query, Ranked, 2), 12);
    }

    [Fact]
    public void Weighted_average_precision_by_hand()
    {
        // Cumulative shared 2, 2, 3, 4 -> ACG@1 = 2, ACG@3 = 3/3 = 1, ACG@4 = 4/4 = 1, at the relevant ranks 1, 3, 4.
        Assert.Equal((2 + 1 + 1) / 3.0, RetrievalMetrics.WeightedAveragePrecision(Query, Ranked, 4), 12);
        // Top 3: relevant ranks 1 and 3 -> (2 + 1) / 2.
        Assert.Equal(1.5, RetrievalMetrics.WeightedAveragePrecision(Query, Ranked, 3), 12);
    }

    [Fact]
    public void Average_cumulative_gain_by_hand()
    {
        Assert.Equal((2 + 0 + 1 + 1) / 4.0, RetrievalMetrics.AverageCumulativeGain(Query, Ranked, 4), 12);
        Assert.Equal((2 + 0) / 2.0, RetrievalMetrics.AverageCumulativeGain(Query, Ranked, 2), 12);
    }

    [Fact]
    public void Ndcg_by_hand_with_ideal_from_the_database()
    {
        // The database holds the 5 ranked items plus one unretrieved {a, b, e} (shared 2).
        IEnumerable<string>[] database = [.. Ranked, ["a", "b", "e"]];
        // DCG@4 = (2^2-1)/log2 2 + 0 + (2^1-1)/log2 4 + (2^1-1)/log2 5 = 3 + 0.5 + 1/log2 5
        double dcg = 3 + 0.5 + 1 / Math.Log2(5);
        // Ideal gains sorted 2, 2, 1, 1: IDCG@4 = 3 + 3/log2 3 + 1/log2 4 + 1/log2 5
        double idcg = 3 + 3 / Math.Log2(3) + 0.5 + 1 / Math.Log2(5);
        Assert.Equal(dcg / idcg, RetrievalMetrics.Ndcg(Query, Ranked, database, 4), 12);
    }

    [Fact]
    public void No_relevant_items_give_zero_for_every_metric()
    {
        string[] query = ["z"];
        Assert.Equal(0, RetrievalMetrics.AveragePrecision(query, Ranked, 5));
        Assert.Equal(0, RetrievalMetrics.WeightedAveragePrecision(query, Ranked, 5));
        Assert.Equal(0, RetrievalMetrics.AverageCumulativeGain(query, Ranked, 5));
        Assert.Equal(0, RetrievalMetrics.Ndcg(query, Ranked, Ranked, 5));
    }

    [Fact]
    public void K_larger_than_the_list_uses_the_results_there_are()
    {
        IReadOnlyList<IEnumerable<string>> ranked = [["a"], ["c"]];
        string[] query = ["a"];
        // One relevant at rank 1: AP = P@1 = 1; WAP = ACG@1 = 1; ACG over the 2 results = (1 + 0) / 2.
        Assert.Equal(1, RetrievalMetrics.AveragePrecision(query, ranked, 10), 12);
        Assert.Equal(1, RetrievalMetrics.WeightedAveragePrecision(query, ranked, 10), 12);
        Assert.Equal(0.5, RetrievalMetrics.AverageCumulativeGain(query, ranked, 10), 12);
        // A second {a} in the database was not retrieved: DCG = 1, IDCG = 1 + 1/log2 3.
        IEnumerable<string>[] database = [["a"], ["c"], ["a", "x"]];
        Assert.Equal(1 / (1 + 1 / Math.Log2(3)), RetrievalMetrics.Ndcg(query, ranked, database, 10), 12);
    }

    [Fact]
    public void Empty_result_list_scores_zero_and_k_below_one_is_refused()
    {
        IReadOnlyList<IEnumerable<string>> none = [];
        Assert.Equal(0, RetrievalMetrics.AveragePrecision(Query, none, 3));
        Assert.Equal(0, RetrievalMetrics.AverageCumulativeGain(Query, none, 3));
        Assert.Equal(0, RetrievalMetrics.Ndcg(Query, none, Ranked, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrievalMetrics.AveragePrecision(Query, Ranked, 0));
    }

    [Fact]
    public void Duplicate_labels_count_once()
    {
        IReadOnlyList<IEnumerable<string>> ranked = [["a", "a", "b"]];
        Assert.Equal(2, RetrievalMetrics.AverageCumulativeGain(["a", "b", "a"], ranked, 1), 12);
    }
}
