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
/// The pairs come from every code record of the encoder and the patch record behind each (footprint and date): read
/// whole once, then each shard's changes since when <see cref="ArchiveOptions.IndexRefreshInterval"/> has passed, as
/// the resident index does. The pairs are held in memory and ranked by a scan of all of them, which suits archives of
/// up to some hundred thousand pairs (the resident index keeps no footprints, so this catalog keeps its own).
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

    // Patches by id with the stamp of their code record, the pairs over them, and per shard the latest stamp read.
    private sealed record Catalog(string Encoder, IReadOnlyDictionary<string, (DatedPatch Patch, long Stamp)> Held,
        IReadOnlyDictionary<string, long> SeenByShard, long LoadedAt)
    {
        public Dictionary<string, DatedPatch> Patches { get; } = Held.ToDictionary(h => h.Key, h => h.Value.Patch, StringComparer.Ordinal);

        public IReadOnlyList<ChangePair> Pairs { get; } = DatedPairs.From(Held.Values.Select(h => h.Patch));
    }

    private async Task<Catalog> CatalogAsync(bool fresh, CancellationToken ct)
    {
        var encoder = (await encoders.GetActiveAsync(ct)).Version;
        if (Usable(Volatile.Read(ref _catalog), encoder, fresh) is { } held) return held;
        await _loading.WaitAsync(ct);
        try
        {
            if (Usable(_catalog, encoder, fresh) is { } loaded) return loaded; // another caller loaded it meanwhile
            long started = Environment.TickCount64;
            var previous = _catalog?.Encoder == encoder ? _catalog : null;
            var catalog = await ReadChangesAsync(encoder, previous, started, ct);
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

    /// <summary>
    /// Every shard's code records stamped since the previous read (all of them the first time), side by side as the
    /// resident index loads; the patch records (footprint, date) are read for new or re-hashed patches only.
    /// </summary>
    private async Task<Catalog> ReadChangesAsync(string encoder, Catalog? previous, long started, CancellationToken ct)
    {
        var shards = CodeRecord.ShardsFor(encoder, options.PrefixBits).ToArray();
        var changes = new List<CodeRecord>[shards.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, shards.Length),
            new ParallelOptions { MaxDegreeOfParallelism = options.ShardLoadConcurrency, CancellationToken = ct },
            async (i, token) => changes[i] = previous?.SeenByShard.GetValueOrDefault(shards[i]) is { } seen
                ? await store.ReadShardSinceAsync(shards[i], seen - options.StampOverlapSeconds, token).ToListAsync(token)
                : await store.ReadShardAsync(shards[i], token).ToListAsync(token));

        var held = previous is null
            ? new Dictionary<string, (DatedPatch Patch, long Stamp)>(StringComparer.Ordinal)
            : new Dictionary<string, (DatedPatch Patch, long Stamp)>(previous.Held, StringComparer.Ordinal);
        // A patch re-hashed to another prefix may be met in two shards: its latest record holds its code.
        var latest = new Dictionary<string, CodeRecord>(StringComparer.Ordinal);
        foreach (var record in changes.SelectMany(c => c))
            if ((!latest.TryGetValue(record.PatchId, out var seenNow) || record.Stamp >= seenNow.Stamp)
                && (!held.TryGetValue(record.PatchId, out var kept) || record.Stamp > kept.Stamp || record.Stamp == 0))
                latest[record.PatchId] = record;
        var records = await metadata.GetManyAsync(latest.Keys, ct);
        foreach (var r in latest.Values)
        {
            var patch = records.GetValueOrDefault(r.PatchId);
            held[r.PatchId] = (new DatedPatch(r.PatchId, r.Modality, PlaceKey.Of(patch?.Footprint), patch?.AcquiredAt, HammingCode.FromBase64(r.Code), r.Labels), r.Stamp);
        }
        var seenByShard = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < shards.Length; i++)
            seenByShard[shards[i]] = Math.Max(previous?.SeenByShard.GetValueOrDefault(shards[i]) ?? 0, changes[i].Select(r => r.Stamp).DefaultIfEmpty(0).Max());
        return new Catalog(encoder, held, seenByShard, started);
    }
}
