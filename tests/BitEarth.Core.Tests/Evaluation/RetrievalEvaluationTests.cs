using BitEarth.Core.Codes;
using BitEarth.Core.Evaluation;

namespace BitEarth.Core.Tests.Evaluation;

public class RetrievalEvaluationTests
{
    private static HammingCode Code(byte value) => HammingCode.FromBytes([value]);

    [Fact]
    public void Leave_one_out_by_hand_with_ties_broken_by_id()
    {
        // A = 00000000 {x}, B = 00000001 {x}, C = 00000011 {y}; input order C, B, A must not matter.
        RetrievalItem[] items = [new("C", ["y"], Code(0b11)), new("B", ["x"], Code(0b01)), new("A", ["x"], Code(0b00))];
        var scores = RetrievalEvaluation.LeaveOneOut(items, 2);
        // Query A: B (1), C (2) -> relevance 1, 0: AP 1, WAP 1, ACG 1/2, NDCG 1.
        // Query B: A (1) and C (1) tie, A first by id -> same as A.  (C first would give AP 1/2.)
        // Query C: B (1), A (2) -> nothing relevant: all 0.
        Assert.Equal(3, scores.Queries);
        Assert.Equal(2.0 / 3, scores.MeanAveragePrecision, 12);
        Assert.Equal(2.0 / 3, scores.WeightedMeanAveragePrecision, 12);
        Assert.Equal((0.5 + 0.5 + 0) / 3, scores.AverageCumulativeGain, 12);
        Assert.Equal(2.0 / 3, scores.Ndcg, 12);
    }

    [Fact]
    public void Multi_code_items_rank_by_the_closest_code_pair()
    {
        // Q's second code equals T's only code, so T (distance 0) beats U (distance 1 from Q's first code).
        RetrievalItem[] items =
        [
            new("Q", ["x"], [Code(0b1000_0000), Code(0b0000_1111)]),
            new("T", ["x"], Code(0b0000_1111)),
            new("U", ["y"], Code(0b1000_0001)),
        ];
        var scores = RetrievalEvaluation.LeaveOneOut(items, 1);
        // Q: T first -> AP 1. T: Q (0) -> AP 1. U: Q (1) vs T (5) -> Q first, not relevant -> 0.
        Assert.Equal(2.0 / 3, scores.MeanAveragePrecision, 12);
    }

    [Fact]
    public void Unlabelled_items_are_candidates_but_not_queries_and_ids_must_be_unique()
    {
        RetrievalItem[] items = [new("A", ["x"], Code(0)), new("B", [], Code(1)), new("C", ["x"], Code(3))];
        var scores = RetrievalEvaluation.LeaveOneOut(items, 1);
        // A: B first (unlabelled, not relevant) -> 0. C: B (1) first -> 0.
        Assert.Equal(2, scores.Queries);
        Assert.Equal(0, scores.MeanAveragePrecision);
        Assert.Throws<ArgumentException>(() => RetrievalEvaluation.LeaveOneOut([items[0], new RetrievalItem("A", ["y"], Code(9))], 1));
    }
}
