using System.Diagnostics;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Change;

/// <summary>
/// Query by change: a before/after pair of one place (two archived patches, or two uploads hashed now) against every
/// change pair of the archive under the active encoder (<see cref="DatedPairs"/>), ranked exactly by
/// <see cref="ChangeMetric"/>; pairs of the query's own place are left out, so the answer is other places.
/// The pairs come from every code record of the encoder and every patch record behind them (footprint and date), read
/// once and again when <see cref="ArchiveOptions.IndexRefreshInterval"/> has passed: one scan of the archive per
/// interval, which suits archives of thousands of patches, not millions (the resident index keeps no footprints).
/// </summary>
public sealed class ChangeSearch(EncoderCatalog encoders, ICodeStore store, IPatchMetadata metadata, ArchiveOptions options) : IDisposable
{
    /// <summary>The metric answers use unless the query names one: the best on the synthetic change pairs (ChangeEvaluationTests, `trainer change`).</summary>
    public const ChangeMetric DefaultMetric = ChangeMetric.Xor;

    private readonly SemaphoreSlim _loading = new(1, 1);
    private Catalog? _catalog;

    public async Task<ChangeAnswer> SearchAsync(string beforeId, string afterId, int k, ChangeMetric metric, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(beforeId);
        ArgumentNullException.ThrowIfNull(afterId);
        var clock = Stopwatch.StartNew();
        if (beforeId == afterId) throw new ChangeQueryException($"before and after are the same patch '{beforeId}'; a change needs two acquisitions");
        var catalog = await CatalogAsync(fresh: false, ct);
        if (!catalog.Patches.ContainsKey(beforeId) || !catalog.Patches.ContainsKey(afterId))
            catalog = await CatalogAsync(fresh: true, ct); // ingested since the last read
        var before = catalog.Patches.GetValueOrDefault(beforeId) ?? throw new PatchNotFoundException(beforeId);
        var after = catalog.Patches.GetValueOrDefault(afterId) ?? throw new PatchNotFoundException(afterId);
        foreach (var patch in (ReadOnlySpan<DatedPatch>)[before, after])
            if (patch.Place is null)
                throw new ChangeQueryException($"patch '{patch.Id}' has no footprint, so its place (and its other dates) are unknown");
        return Answer(catalog, before, after, k, metric, clock);
    }

    /// <summary>Two uploads: hashed with the active encoder; their place is checked where both files carry a footprint.</summary>
    public async Task<ChangeAnswer> SearchAsync(Patch before, Patch after, int k, ChangeMetric metric, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var clock = Stopwatch.StartNew();
        var catalog = await CatalogAsync(fresh: false, ct);
        var hasher = await encoders.GetAsync(catalog.Encoder, ct);
        foreach (var patch in (ReadOnlySpan<Patch>)[before, after])
            if (!hasher.Modalities.Contains(patch.Modality))
                throw new PatchFormatException(patch.Id, $"encoder {hasher.Version} does not hash {patch.Modality} patches");
        DatedPatch Dated(Patch p) => new(p.Id, p.Modality, PlaceKey.Of(p.Footprint), p.AcquiredAt, hasher.Hash(p), p.Labels);
        return Answer(catalog, Dated(before), Dated(after), k, metric, clock);
    }

    private static ChangeAnswer Answer(Catalog catalog, DatedPatch before, DatedPatch after, int k, ChangeMetric metric, Stopwatch clock)
    {
        if (DatedPairs.Problem(before, after) is { } problem) throw new ChangeQueryException(problem);
        var query = new ChangePair(before, after);
        var ranked = ChangeRanking.Rank(metric, query, catalog.Pairs, k, p =>
            (query.Place is not null && p.Place == query.Place) || p.Before.Id == before.Id || p.After.Id == after.Id);
        var hits = ranked.Select(h => new ChangeHit(h.Pair.Before.Id, h.Pair.After.Id, h.Distance, h.Pair.Before.Labels, h.Pair.After.Labels,
            h.Pair.Before.AcquiredAt, h.Pair.After.AcquiredAt)).ToList();
        return new ChangeAnswer(catalog.Encoder, metric, hits, catalog.Pairs.Count(p => p.Before.Modality == before.Modality), clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>At the end of the process (the DI container disposes it).</summary>
    public void Dispose() => _loading.Dispose();

    private sealed record Catalog(string Encoder, IReadOnlyDictionary<string, DatedPatch> Patches, IReadOnlyList<ChangePair> Pairs, long LoadedAt);

    private async Task<Catalog> CatalogAsync(bool fresh, CancellationToken ct)
    {
        var encoder = (await encoders.GetActiveAsync(ct)).Version;
        if (Usable(Volatile.Read(ref _catalog), encoder, fresh) is { } held) return held;
        await _loading.WaitAsync(ct);
        try
        {
            if (Usable(_catalog, encoder, fresh) is { } loaded) return loaded; // another caller loaded it meanwhile
            long started = Environment.TickCount64;
            var patches = await ReadPatchesAsync(encoder, ct);
            var catalog = new Catalog(encoder, patches.ToDictionary(p => p.Id, StringComparer.Ordinal), DatedPairs.From(patches), started);
            Volatile.Write(ref _catalog, catalog);
            return catalog;
        }
        finally { _loading.Release(); }
    }

    // A fresh read is wanted when an id was missing: one read started after the request arrived satisfies it.
    private Catalog? Usable(Catalog? catalog, string encoder, bool fresh) =>
        catalog is not null && catalog.Encoder == encoder
        && Environment.TickCount64 - catalog.LoadedAt < (fresh ? 0 : (long)options.IndexRefreshInterval.TotalMilliseconds)
            ? catalog : null;

    private async Task<List<DatedPatch>> ReadPatchesAsync(string encoder, CancellationToken ct)
    {
        // A patch re-hashed to another prefix may be met in two shards: its latest record holds its code.
        var latest = new Dictionary<string, CodeRecord>(StringComparer.Ordinal);
        foreach (var modality in Enum.GetValues<Modality>())
            for (int prefix = 0; prefix < 1 << options.PrefixBits; prefix++)
                await foreach (var record in store.ReadShardAsync(CodeRecord.ShardFor(encoder, modality, prefix), ct))
                    if (!latest.TryGetValue(record.PatchId, out var held) || record.Stamp >= held.Stamp) latest[record.PatchId] = record;
        var records = await metadata.GetManyAsync(latest.Keys, ct);
        return [.. latest.Values.Select(r =>
        {
            var patch = records.GetValueOrDefault(r.PatchId);
            return new DatedPatch(r.PatchId, r.Modality, PlaceKey.Of(patch?.Footprint), patch?.AcquiredAt, HammingCode.FromBase64(r.Code), r.Labels);
        })];
    }
}
