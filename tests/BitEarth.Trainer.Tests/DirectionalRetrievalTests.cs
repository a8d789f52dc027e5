using BitEarth.Core.Codes;
using BitEarth.Trainer.Evaluation;

namespace BitEarth.Trainer.Tests;

public class DirectionalRetrievalTests
{
    [Fact]
    public void Validation_map_ranks_by_hamming_distance_and_counts_relevant_ranks_only()
    {
        HammingCode[] query = [Code(0b00)];
        string[][] queryLabels = [["0"]];
        HammingCode[] database = [Code(0b00), Code(0b01), Code(0b11)]; // distances 0, 1, 2
        string[][] databaseLabels = [["0"], ["1"], ["0", "1"]]; // relevant, not, relevant
        // top 3: rel at ranks 1 and 3 -> (1/1 + 2/3) / 2
        Assert.Equal((1 + 2.0 / 3) / 2, DirectionalRetrieval.MeanAveragePrecision(query, queryLabels, database, databaseLabels, 3, false), 10);
        Assert.Equal(1.0, DirectionalRetrieval.MeanAveragePrecision(query, queryLabels, database, databaseLabels, 1, false), 10);
        // Listed in reverse, the database ranks the same way: distance decides, not position.
        Assert.Equal((1 + 2.0 / 3) / 2, DirectionalRetrieval.MeanAveragePrecision(query, queryLabels, [.. database.Reverse()], [.. databaseLabels.Reverse()], 3, false), 10);
    }

    [Fact]
    public void Excluding_the_same_index_skips_the_query_itself()
    {
        HammingCode[] codes = [Code(0b0), Code(0b1)];
        string[][] labels = [["0"], ["1"]];
        Assert.Equal(0.0, DirectionalRetrieval.MeanAveragePrecision(codes, labels, codes, labels, 1, excludeSameIndex: true));
        Assert.Equal(1.0, DirectionalRetrieval.MeanAveragePrecision(codes, labels, codes, labels, 1, excludeSameIndex: false));
    }

    [Fact]
    public void Equal_distances_rank_by_database_position()
    {
        HammingCode[] query = [Code(0b00)];
        string[][] queryLabels = [["0"]];
        HammingCode[] database = [Code(0b01), Code(0b10)]; // both at distance 1
        Assert.Equal(0.0, DirectionalRetrieval.MeanAveragePrecision(query, queryLabels, database, [["1"], ["0"]], 1, false));
        Assert.Equal(1.0, DirectionalRetrieval.MeanAveragePrecision(query, queryLabels, database, [["0"], ["1"]], 1, false));
    }

    private static HammingCode Code(int low) => HammingCode.FromBits([.. Enumerable.Range(0, 16).Select(i => (low >> i & 1) == 1)]);
}
