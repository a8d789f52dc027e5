using BitEarth.Core.Codes;
using BitEarth.Core.Query;

namespace BitEarth.Core.Tests.Query;

public class RelevanceFeedbackTests
{
    private static HammingCode Code(string bits) => HammingCode.FromBits(bits.Select(c => c == '1').ToArray());

    [Fact]
    public void No_feedback_keeps_the_query() =>
        Assert.Equal(Code("10110010"), RelevanceFeedback.Refine(Code("10110010"), [], []));

    [Fact]
    public void One_relevant_code_outvotes_the_query_where_they_differ()
    {
        // Weight 1.5 on the relevant mean against 1 on the query: every differing bit follows the relevant code.
        Assert.Equal(Code("01110011"), RelevanceFeedback.Refine(Code("10110010"), [Code("01110011")], []));
    }

    [Fact]
    public void Irrelevant_codes_decide_the_bits_where_the_query_and_the_relevant_majority_tie()
    {
        // Relevant codes split 1:1 on bits 0 and 1 (mean 0), so query (1) vs irrelevant (0.75) decides:
        // bit 0: query 1, irrelevant 1 -> 1 - 0.75 > 0 keeps 1; bit 1: query 0, irrelevant 0 -> -1 + 0.75 < 0 keeps 0.
        var refined = RelevanceFeedback.Refine(Code("10000000"), [Code("11000000"), Code("00000000")], [Code("10000000")]);
        Assert.Equal(Code("10000000"), refined);
        // Two relevant codes agreeing against the query, one irrelevant code agreeing with it:
        // score(bit 7) = 1 * (-1) + 1.5 * (+1) - 0.75 * (-1) = 1.25 > 0, so the bit is set.
        Assert.Equal(Code("00000001"), RelevanceFeedback.Refine(Code("00000000"), [Code("00000001"), Code("00000001")], [Code("00000000")]));
    }

    [Fact]
    public void Irrelevant_codes_alone_never_outvote_the_query()
    {
        // 0.75 < 1: without relevant codes the query keeps every bit; irrelevant patches then only leave the answer.
        var random = new Random(3);
        for (int i = 0; i < 50; i++)
        {
            var q = Random64(random);
            Assert.Equal(q, RelevanceFeedback.Refine(q, [], [Random64(random), Random64(random)]));
        }
    }

    [Fact]
    public void Codes_of_another_length_are_refused() =>
        Assert.Throws<ArgumentException>(() => RelevanceFeedback.Refine(Code("10110010"), [Code("1011001011110000")], []));

    private static HammingCode Random64(Random random) => new(64, [(ulong)random.NextInt64() ^ ((ulong)random.NextInt64() << 1)]);
}
