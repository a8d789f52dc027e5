using System.Diagnostics;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;

namespace BitEarth.Core.Query;

/// <summary>
/// Query by example in steps that a durable orchestration can split across activities: prepare (patch -> code),
/// plan (shard groups), search one group (exact partial top-k without the query patch), merge (exact), answer (the
/// records behind the hits). The in-process path runs the same steps in a loop, so both paths return the same answer.
/// </summary>
public sealed class ArchiveSearch(EncoderCatalog encoders, ResidentIndexCache indexes, ArchiveOptions options, MultiCodeSearch? multiCodes = null)
{
    public const string InProcessPath = "in-process";
    public const string FanOutPath = "durable-fan-out";

    /// <summary>
    /// A query by an archived patch uses the code the active encoder's resident index holds for it; a patch another
    /// process ingested becomes queryable by id with the index's next refresh, as it becomes findable. No target
    /// (null) searches every modality the encoder ranks honestly from the query's: see <see cref="Targets"/>.
    /// </summary>
    public async Task<PreparedQuery> PrepareAsync(string patchId, int k, QueryTarget? target, CancellationToken ct = default)
    {
        var hasher = await encoders.GetActiveAsync(ct);
        var index = await indexes.GetAsync(hasher.Version, ct);
        var code = index.CodeOf(patchId) ?? throw new PatchNotFoundException(patchId);
        var modality = index.ModalityOf(patchId) ?? throw new PatchNotFoundException(patchId);
        var prepared = new PreparedQuery(hasher.Version, code, patchId, Targets(hasher, modality, target), k);
        if (hasher is not IMultiCodeHasher) return prepared;
        return prepared with { RegionCodes = await MultiCodes.CodesOfAsync(hasher.Version, hasher.Bits, patchId, ct) ?? throw new PatchNotFoundException(patchId) };
    }

    /// <summary>A query by an uploaded patch; if the upload is already in the archive it is still excluded by id.</summary>
    public async Task<PreparedQuery> PrepareAsync(Patch upload, int k, QueryTarget? target, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var hasher = await encoders.GetActiveAsync(ct);
        if (!hasher.Modalities.Contains(upload.Modality))
            throw new PatchFormatException(upload.Id, $"encoder {hasher.Version} does not hash {upload.Modality} patches");
        var targets = Targets(hasher, upload.Modality, target);
        return new PreparedQuery(hasher.Version, hasher.Hash(upload), upload.Id, targets, k)
        {
            RegionCodes = hasher is IMultiCodeHasher multi ? multi.HashMany(upload) : null,
        };
    }

    /// <summary>
    /// The modalities a query from a <paramref name="source"/> patch searches. A target the encoder has no model for,
    /// or another modality than the query's (or "any" over both) under an encoder whose modalities do not share one
    /// code space, is refused with the reason: its distances would rank unrelated codes. No target means the query's
    /// own modality, and every modality of an encoder with one shared space.
    /// </summary>
    public static IReadOnlyList<Modality> Targets(IPatchHasher hasher, Modality source, QueryTarget? target)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        IReadOnlyList<Modality> all = [.. hasher.Modalities.Order()];
        if (target is null) return hasher.SharesCodeSpace ? all : [source];
        IReadOnlyList<Modality> wanted = target switch
        {
            QueryTarget.S1 => [Modality.S1],
            QueryTarget.S2 => [Modality.S2],
            _ => all,
        };
        foreach (var modality in wanted)
        {
            if (!hasher.Modalities.Contains(modality))
                throw new QueryTargetException($"encoder {hasher.Version} has no {modality} model (it hashes {string.Join(" and ", all)} only), " +
                    $"so it cannot rank {modality} patches; query with target \"{source}\"");
            if (modality != source && !hasher.SharesCodeSpace)
                throw new QueryTargetException($"encoder {hasher.Version} hashes {string.Join(" and ", all)} into separate code spaces, " +
                    $"so a {source} query cannot be ranked against {modality} codes (the distances would be meaningless); " +
                    $"query with target \"{source}\", or re-index with an encoder trained cross-modally (sharedCodeSpace in GET /api/encoders)");
        }
        return wanted;
    }

    private MultiCodeSearch MultiCodes => multiCodes
        ?? throw new InvalidOperationException("The active encoder holds several codes per patch, but this host registered no MultiCodeSearch.");

    public IReadOnlyList<ShardGroup> Plan(PreparedQuery query) => ShardPlan.For(query, options.PrefixBits, options.ShardsPerGroup);

    /// <summary>Exact top-k of one group, the query patch left out: the one place it is excluded.</summary>
    public async Task<PartialTopK> SearchGroupAsync(PreparedQuery query, ShardGroup group, CancellationToken ct = default)
    {
        var index = await indexes.GetAsync(query.Encoder, ct);
        int k = query.ExcludePatchId is null ? query.K : query.K + 1;
        var partial = query.RegionCodes is null ? index.Search(group, query.Code, k) : await MultiCodes.SearchGroupAsync(query, group, k, ct);
        if (query.ExcludePatchId is null) return partial;
        // One extra hit so the query patch itself can be dropped without coming up short.
        long excluded = PatchKey.Of(query.ExcludePatchId);
        return partial with { Hits = partial.Hits.Where(h => h.Key != excluded).Take(query.K).ToList() };
    }

    /// <summary>
    /// The answer to the merged top-k: each hit's record, read for these k keys only (the resident index holds codes,
    /// not metadata), ordered by distance then patch id. A hit the index does not hold yet (found by an activity on an
    /// instance that refreshed later) waits for a refresh.
    /// </summary>
    public async Task<QueryAnswer> AnswerAsync(PreparedQuery query, PartialTopK merged, TimeSpan elapsed, string path, CancellationToken ct = default)
    {
        var index = await indexes.GetAsync(query.Encoder, ct);
        var keys = merged.Hits.Select(h => h.Key).ToList();
        var records = await index.RecordsOfAsync(keys, ct);
        if (records.Any(r => r is null))
        {
            await indexes.RefreshNowAsync(query.Encoder, ct);
            records = await index.RecordsOfAsync(keys, ct);
        }
        var results = merged.Hits
            .Select((h, i) => (Hit: h, Record: records[i]
                ?? throw new InvalidOperationException($"Hit {h.Key} of encoder {query.Encoder} has no record in the resident index.")))
            .OrderBy(h => h.Hit.Distance).ThenBy(h => h.Record.PatchId, StringComparer.Ordinal)
            .Select(h => new QueryResult(h.Record.PatchId, h.Hit.Distance, h.Record.Labels, h.Record.Modality, h.Record.Blob))
            .ToList();
        return new QueryAnswer(query.Encoder, results, merged.ShardsVisited, merged.CodesScanned, elapsed.TotalMilliseconds, path);
    }

    public async Task<QueryAnswer> SearchInProcessAsync(PreparedQuery query, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var partials = new List<PartialTopK>();
        foreach (var group in Plan(query)) partials.Add(await SearchGroupAsync(query, group, ct));
        return await AnswerAsync(query, PartialTopK.Merge(partials, query.K), clock.Elapsed, InProcessPath, ct);
    }
}
