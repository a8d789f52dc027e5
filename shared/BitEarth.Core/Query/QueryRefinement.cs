using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Residency;

namespace BitEarth.Core.Query;

/// <summary>Relevance feedback on a prepared query: the marked patches' codes from the resident index, then the vote.</summary>
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
        // Under a cap the marked patches' codes come from the groups held or their blobs, never a whole-archive load.
        Func<string, Task<HammingCode?>> codeOf;
        if (indexes.Groups is { } groups)
        {
            var hasher = await encoders.GetAsync(query.Encoder, ct);
            codeOf = async id => await groups.CodeOfAsync(hasher, id, ct) is { } held ? held.Code : null;
        }
        else
        {
            var index = await indexes.GetAsync(query.Encoder, ct);
            codeOf = id => Task.FromResult(index.CodeOf(id));
        }
        async Task<List<HammingCode>> Codes(IEnumerable<string> ids, string role)
        {
            var codes = new List<HammingCode>();
            foreach (var id in ids.Distinct(StringComparer.Ordinal)) codes.Add(await codeOf(id) ?? throw new FeedbackPatchException(role, id));
            return codes;
        }
        return query with { Code = RelevanceFeedback.Refine(query.Code, await Codes(relevant, "relevant"), await Codes(irrelevant, "irrelevant")) };
    }
}
