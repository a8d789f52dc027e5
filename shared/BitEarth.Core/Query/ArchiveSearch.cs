using System.Diagnostics;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>
/// Query by example in four steps that a durable orchestration can split across activities: prepare (patch -> code),
/// plan (shard groups), search one group (exact partial top-k), finish (exact merge). The in-process path runs the
/// same steps in a loop, so both paths return the same answer.
/// </summary>
public sealed class ArchiveSearch(IBlobStore blobs, ICodeStore store, EncoderCatalog encoders, ResidentIndexCache indexes, ArchiveOptions options)
{
    public const string InProcessPath = "in-process";
    public const string FanOutPath = "durable-fan-out";

    public async Task<PreparedQuery> PrepareAsync(string patchId, int k, QueryTarget target, CancellationToken ct = default)
    {
        var hasher = await encoders.GetActiveAsync(ct);
        var record = await store.GetPatchAsync(patchId, ct) ?? throw new PatchNotFoundException(patchId);
        await using var content = await blobs.OpenReadAsync(Containers.Patches, record.Blob, ct)
            ?? throw new PatchNotFoundException(patchId);
        var patch = PatchBlobReader.Read(record.Blob, content);
        return new PreparedQuery(hasher.Version, hasher.Hash(patch).ToBase64(), patchId, Modalities(target), k);
    }

    /// <summary>A query by an uploaded patch; if the upload is already in the archive it is still excluded by id.</summary>
    public async Task<PreparedQuery> PrepareAsync(Patch upload, int k, QueryTarget target, CancellationToken ct = default)
    {
        var hasher = await encoders.GetActiveAsync(ct);
        if (!hasher.Modalities.Contains(upload.Modality))
            throw new PatchFormatException(upload.Id, $"encoder {hasher.Version} does not hash {upload.Modality} patches");
        return new PreparedQuery(hasher.Version, hasher.Hash(upload).ToBase64(), upload.Id, Modalities(target), k);
    }

    public async Task<PartialTopK> SearchGroupAsync(PreparedQuery query, ShardGroup group, CancellationToken ct = default)
    {
        var index = await indexes.GetAsync(query.Encoder, ct);
        // One extra hit so the query patch itself can be dropped without coming up short.
        return index.Search(group.Modality, HammingCode.FromBase64(query.Code), query.K + 1, group.Prefixes);
    }

    public static QueryAnswer Finish(PreparedQuery query, IEnumerable<PartialTopK> partials, TimeSpan elapsed, string path)
    {
        var merged = PartialTopK.Merge(partials, query.K + 1);
        var results = merged.Hits
            .Where(h => h.Record.PatchId != query.ExcludePatchId)
            .Take(query.K)
            .OrderBy(h => h.Distance).ThenBy(h => h.Record.PatchId, StringComparer.Ordinal)
            .Select(h => new QueryResult(h.Record.PatchId, h.Distance, h.Record.Labels, h.Record.Modality, h.Record.Blob))
            .ToList();
        return new QueryAnswer(query.Encoder, results, merged.ShardsVisited, merged.CodesScanned, elapsed.TotalMilliseconds, path);
    }

    public async Task<QueryAnswer> SearchInProcessAsync(PreparedQuery query, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var partials = new List<PartialTopK>();
        foreach (var group in ShardPlan.For(query, options.PrefixBits, options.ShardsPerGroup)) partials.Add(await SearchGroupAsync(query, group, ct));
        return Finish(query, partials, clock.Elapsed, InProcessPath);
    }

    private static IReadOnlyList<Modality> Modalities(QueryTarget target) => target switch
    {
        QueryTarget.S1 => [Modality.S1],
        QueryTarget.S2 => [Modality.S2],
        _ => [Modality.S1, Modality.S2],
    };
}
