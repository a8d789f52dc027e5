using BitEarth.Trainer.Evaluation;

namespace BitEarth.Trainer.Tests;

public class MeanAveragePrecisionTests
{
    [Fact]
    public void Average_precision_counts_relevant_ranks_only()
    {
        bool[][] query = [[false, false]];
        float[][] queryLabels = [[1, 0]];
        bool[][] database = [[false, false], [true, false], [true, true]]; // distances 0, 1, 2
        float[][] databaseLabels = [[1, 0], [0, 1], [1, 1]]; // relevant, not, relevant
        // top 3: rel at ranks 1 and 3 -> (1/1 + 2/3) / 2
        Assert.Equal((1 + 2.0 / 3) / 2, MeanAveragePrecision.AtK(query, queryLabels, database, databaseLabels, 3, false), 10);
        Assert.Equal(1.0, MeanAveragePrecision.AtK(query, queryLabels, database, databaseLabels, 1, false), 10);
    }

    [Fact]
    public void Excluding_the_same_index_skips_the_query_itself()
    {
        bool[][] codes = [[false], [true]];
        float[][] labels = [[1, 0], [0, 1]];
        Assert.Equal(0.0, MeanAveragePrecision.AtK(codes, labels, codes, labels, 1, excludeSameIndex: true));
        Assert.Equal(1.0, MeanAveragePrecision.AtK(codes, labels, codes, labels, 1, excludeSameIndex: false));
    }
}
