using System.Diagnostics;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

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
        var (code, modality) = await indexes.CodeOfAsync(hasher, patchId, ct) ?? throw new PatchNotFoundException(patchId);
        return await WithRegionCodesAsync(hasher, patchId, new PreparedQuery(hasher.Version, code, patchId, Targets(hasher, modality, target), k), ct);
    }

    /// <summary>Under a multi-code encoder, the archived patch's whole code set, which the matching compares.</summary>
    private async Task<PreparedQuery> WithRegionCodesAsync(IPatchHasher hasher, string patchId, PreparedQuery prepared, CancellationToken ct)
    {
        if (hasher is not IMultiCodeHasher) return prepared;
        return prepared with
        {
            RegionCodes = await MultiCodes.CodesOfAsync(hasher.Version, hasher.Bits, patchId, ct) ?? throw new PatchNotFoundException(patchId),
        };
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

    /// <summary>
    /// Whether a query is best answered in process by default: without a cap every instance holds the whole archive;
    /// with one, only once the archive is known to fit it (else the durable fan-out spreads the groups over instances).
    /// </summary>
    public bool PrefersInProcess(string encoder) => indexes.Groups is not { } groups || groups.ArchiveFits(encoder);

    /// <summary>Exact top-k of one group, the query patch left out: the one place it is excluded.</summary>
    public async Task<PartialTopK> SearchGroupAsync(PreparedQuery query, ShardGroup group, CancellationToken ct = default) =>
        (await SearchGroupWithResidencyAsync(query, group, ct)).Partial;

    /// <summary>
    /// <see cref="SearchGroupAsync"/>, and whether the group had to be loaded for it (false without a cap). Under a cap
    /// the partial carries its hits' records, read while the group is resident.
    /// </summary>
    public async Task<(PartialTopK Partial, bool Loaded)> SearchGroupWithResidencyAsync(PreparedQuery query, ShardGroup group, CancellationToken ct = default)
    {
        if (indexes.Groups is not { } groups) return (await SearchAsync(await indexes.GetAsync(query.Encoder, ct), query, group, ct), false);
        var hasher = await encoders.GetAsync(query.Encoder, ct);
        return await groups.UseAsync(query.Encoder, hasher.Bits, group, async index =>
        {
            var partial = await SearchAsync(index, query, group, ct);
            var records = await index.RecordsOfAsync([.. partial.Hits.Select(h => h.Key)], ct);
            return partial with
            {
                Records = [.. records.Select((r, i) => r ?? throw new InvalidOperationException($"Hit {partial.Hits[i].Key} of group {group.Name} has no record."))],
            };
        }, ct);
    }

    private async Task<PartialTopK> SearchAsync(ResidentIndex index, PreparedQuery query, ShardGroup group, CancellationToken ct)
    {
        // One extra hit so the query patch itself can be dropped without coming up short.
        int k = query.ExcludePatchId is null ? query.K : query.K + 1;
        var partial = query.RegionCodes is null ? index.Search(group, query.Code, k) : await MultiCodes.SearchGroupAsync(query, group, k, ct);
        if (query.ExcludePatchId is null) return partial;
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
        IReadOnlyList<CodeRecord?> records;
        if (merged.Records is { } carried) records = carried;
        else
        {
            var index = await indexes.GetAsync(query.Encoder, ct);
            var keys = merged.Hits.Select(h => h.Key).ToList();
            records = await index.RecordsOfAsync(keys, ct);
            if (records.Any(r => r is null))
            {
                await indexes.RefreshNowAsync(query.Encoder, ct);
                records = await index.RecordsOfAsync(keys, ct);
            }
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
