using BitEarth.Core.Codes;
using BitEarth.Core.Residency;

namespace BitEarth.Core.Query;

/// <summary>Relevance feedback on a prepared query: the marked patches' codes from the resident index, then the vote.</summary>
public sealed class QueryRefinement(ResidentIndexCache indexes)
{
    /// <exception cref="FeedbackPatchException">A marked id has no code under the query's encoder.</exception>
    public async Task<PreparedQuery> RefineAsync(PreparedQuery query, IReadOnlyCollection<string> relevant, IReadOnlyCollection<string> irrelevant,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(relevant);
        ArgumentNullException.ThrowIfNull(irrelevant);
        if (relevant.Count == 0 && irrelevant.Count == 0) return query;
        var index = await indexes.GetAsync(query.Encoder, ct);
        List<HammingCode> Codes(IEnumerable<string> ids, string role) => ids.Distinct(StringComparer.Ordinal)
            .Select(id => index.CodeOf(id) ?? throw new FeedbackPatchException(role, id))
            .ToList();
        return query with { Code = RelevanceFeedback.Refine(query.Code, Codes(relevant, "relevant"), Codes(irrelevant, "irrelevant")) };
    }
}
