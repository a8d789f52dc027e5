using BitEarth.Core.Codes;

namespace BitEarth.Core.Query;

/// <summary>
/// Moves a query code toward the codes a user marked relevant and away from those marked irrelevant: a bitwise
/// weighted vote (Rocchio's rule on +-1 bits), score(b) = <see cref="QueryWeight"/> q(b) + <see cref="RelevantWeight"/>
/// mean r(b) - <see cref="IrrelevantWeight"/> mean i(b), the new bit set where the score is positive and the query's
/// bit kept on a tie. The result is an ordinary code, so the search after feedback is the same exact search.
/// </summary>
public static class RelevanceFeedback
{
    public const double QueryWeight = 1.0;
    public const double RelevantWeight = 1.5;
    public const double IrrelevantWeight = 0.75;

    public static HammingCode Refine(HammingCode query, IReadOnlyCollection<HammingCode> relevant, IReadOnlyCollection<HammingCode> irrelevant)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(relevant);
        ArgumentNullException.ThrowIfNull(irrelevant);
        if (relevant.Count == 0 && irrelevant.Count == 0) return query;
        foreach (var code in relevant.Concat(irrelevant))
            if (code.Bits != query.Bits) throw new ArgumentException($"feedback code has {code.Bits} bits, the query {query.Bits}");

        var bits = new bool[query.Bits];
        for (int b = 0; b < query.Bits; b++)
        {
            double score = QueryWeight * Sign(query[b]);
            if (relevant.Count > 0) score += RelevantWeight * relevant.Average(c => Sign(c[b]));
            if (irrelevant.Count > 0) score -= IrrelevantWeight * irrelevant.Average(c => Sign(c[b]));
            bits[b] = score > 0 || (score == 0 && query[b]);
        }
        return HammingCode.FromBits(bits);
    }

    private static double Sign(bool bit) => bit ? 1 : -1;
}
