using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Residency;

namespace BitEarth.Core.Query;

/// <summary>Relevance feedback on a prepared query: the marked patches' codes from the resident index (under a cap, the groups held or their blobs), then the vote.</summary>
public sealed class QueryRefinement(ResidentIndexCache indexes, EncoderCatalog encoders)
{
    /// <exception cref="FeedbackPatchException">A marked id has no code under the query's encoder.</exception>
    public async Task<PreparedQuery> RefineAsync(PreparedQuery query, IReadOnlyCollection<string> relevant, IReadOnlyCollection<string> irrelevant,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(relevant);
        ArgumentNullException.ThrowIfNull(irrelevant);
        if (relevant.Count == 0 && irrelevant.Count == 0) return query;
        var hasher = await encoders.GetAsync(query.Encoder, ct);
        async Task<List<HammingCode>> Codes(IEnumerable<string> ids, string role)
        {
            var codes = new List<HammingCode>();
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
                codes.Add((await indexes.CodeOfAsync(hasher, id, ct))?.Code ?? throw new FeedbackPatchException(role, id));
            return codes;
        }
        return query with { Code = RelevanceFeedback.Refine(query.Code, await Codes(relevant, "relevant"), await Codes(irrelevant, "irrelevant")) };
    }
}
