using BitEarth.Core.Index;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>
/// Exact top-k within a <see cref="QueryFilter"/>, on either search path and without touching the index: search the
/// k' = k, 2k, 4k ... nearest codes (the exact distance-then-key order every path shares) until k of them pass the
/// filter or the search came back with fewer than k' (every code was seen). The k nearest passing codes are then a
/// prefix of what was seen, so the answer equals a brute-force filter-then-rank. Costs one search per doubling; a
/// filter that passes a fraction p of the archive needs about log2(1/p) + 1 of them.
/// </summary>
public sealed class FilteredSearch(IPatchMetadata metadata)
{
    /// <param name="search">Runs one unfiltered search at the k of the query it is given (in-process or durable).</param>
    public async Task<FilteredAnswer> SearchAsync(PreparedQuery query, QueryFilter filter,
        Func<PreparedQuery, CancellationToken, Task<QueryAnswer>> search, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(search);
        if (filter.IsEmpty) return new FilteredAnswer(await search(query, ct), 1);

        var records = new Dictionary<string, PatchRecord>(StringComparer.Ordinal);
        for (int rounds = 1, width = query.K; ; rounds++, width = (int)Math.Min(int.MaxValue, 2L * width))
        {
            var answer = await search(query with { K = width }, ct);
            if (filter.NeedsPatchRecord)
            {
                var missing = answer.Results.Select(r => r.PatchId).Where(id => !records.ContainsKey(id)).ToList();
                foreach (var (id, record) in await metadata.GetManyAsync(missing, ct)) records[id] = record;
            }
            var passing = answer.Results.Where(r => filter.Matches(r, records.GetValueOrDefault(r.PatchId))).ToList();
            bool exhausted = answer.Results.Count < width || width == int.MaxValue;
            if (passing.Count >= query.K || exhausted)
            {
                // Chosen in the order the search ranks (distance, then key), shown in the answer's (distance, then id).
                var top = passing.OrderBy(r => r.Distance).ThenBy(r => PatchKey.Of(r.PatchId)).Take(query.K)
                    .OrderBy(r => r.Distance).ThenBy(r => r.PatchId, StringComparer.Ordinal).ToList();
                return new FilteredAnswer(answer with { Results = top }, rounds);
            }
        }
    }
}
