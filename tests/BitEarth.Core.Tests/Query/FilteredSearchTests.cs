using BitEarth.Core.Codes;
using BitEarth.Core.Geo;
using BitEarth.Core.Index;
using BitEarth.Core.Query;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Tests.Residency;

namespace BitEarth.Core.Tests.Query;

/// <summary>
/// Filtered search against a brute force: over a random archive whose patches have random footprints, dates and labels,
/// the widened search (k, 2k, 4k ...) on the in-process path and on the group-by-group path the orchestration runs
/// returns exactly the k nearest patches that pass the filter.
/// </summary>
public sealed class FilteredSearchTests : IAsyncLifetime, IDisposable
{
    private readonly EmbeddedArchive _archive = new();
    private List<CodeRecord> _records = null!;
    private Dictionary<string, PatchRecord> _patches = null!;
    private ArchiveSearch _search = null!;
    private FilteredSearch _filtered = null!;

    public async Task InitializeAsync()
    {
        _records = await _archive.WriteCodesAsync(300, seed: 5);
        // Filters are checked across modalities too: the encoder claims one shared space, so every target is allowed.
        await _archive.Encoders.PublishAsync(new Hashing.RecordingHasher(_archive.Hasher, shared: true));
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        var random = new Random(11);
        _patches = new Dictionary<string, PatchRecord>();
        foreach (var r in _records)
        {
            double lon = random.NextDouble() * 40 - 10, lat = random.NextDouble() * 30 + 35;
            var patch = new PatchRecord(r.PatchId, r.Modality, r.Labels, r.Blob, 120, 120, null,
                random.Next(5) == 0 ? null : new DateTimeOffset(2017, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(random.Next(24 * 730)))
            {
                Footprint = random.Next(6) == 0 ? null
                    : new GeoFootprint([new(lon, lat + 0.01), new(lon + 0.015, lat + 0.01), new(lon + 0.015, lat), new(lon, lat)], 32633),
            };
            await _archive.Store.UpsertPatchAsync(patch);
            _patches[r.PatchId] = patch;
        }
        _search = new ArchiveSearch(_archive.Encoders, new ResidentIndexCache(_archive.Store, _archive.Encoders, _archive.Options, _archive.Blobs),
            _archive.Options);
        _filtered = new FilteredSearch(new StorePatchMetadata(_archive.Store));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _archive.Dispose();

    public static TheoryData<string> Filters => ["bbox", "dates", "labels", "excluded", "all", "rare", "none-pass"];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Widened_search_equals_brute_force_filter_then_rank(string name)
    {
        var filter = FilterNamed(name);
        foreach (int k in new[] { 1, 5, 40 })
            foreach (var target in Enum.GetValues<QueryTarget>())
                foreach (var record in _records.Where((_, i) => i % 15 == 0))
                {
                    var query = await _search.PrepareAsync(record.PatchId, k, target);
                    var expected = BruteForce(record, k, target, filter);
                    var inProcess = await _filtered.SearchAsync(query, filter, (q, ct) => _search.SearchInProcessAsync(q, ct));
                    var byGroups = await _filtered.SearchAsync(query, filter, async (q, ct) =>
                    {
                        var partials = new List<PartialTopK>();
                        foreach (var group in _search.Plan(q).Reverse()) partials.Add(await _search.SearchGroupAsync(q, group, ct));
                        return await _search.AnswerAsync(q, PartialTopK.Merge(partials, q.K), TimeSpan.Zero, ArchiveSearch.FanOutPath, ct);
                    });
                    Assert.Equal(expected, inProcess.Answer.Results.Select(r => r.PatchId).ToList());
                    Assert.Equal(expected, byGroups.Answer.Results.Select(r => r.PatchId).ToList());
                }
    }

    [Fact]
    public async Task An_empty_filter_is_one_plain_search()
    {
        var query = await _search.PrepareAsync(_records[0].PatchId, 10, QueryTarget.Any);
        var result = await _filtered.SearchAsync(query, QueryFilter.None, (q, ct) => _search.SearchInProcessAsync(q, ct));
        Assert.Equal(1, result.Searches);
        // Labels are arrays read afresh per answer: compare them by content.
        static List<string> Shape(IEnumerable<QueryResult> results) =>
            [.. results.Select(r => $"{r.PatchId} {r.Distance} {r.Modality} {r.Blob} {string.Join(',', r.Labels)}")];
        Assert.Equal(Shape((await _search.SearchInProcessAsync(query)).Results), Shape(result.Answer.Results));
    }

    [Fact]
    public async Task A_rare_filter_widens_the_search_a_few_times()
    {
        var query = await _search.PrepareAsync(_records[0].PatchId, 5, QueryTarget.Any);
        var result = await _filtered.SearchAsync(query, FilterNamed("rare"), (q, ct) => _search.SearchInProcessAsync(q, ct));
        Assert.InRange(result.Searches, 2, 8);
    }

    private QueryFilter FilterNamed(string name) => name switch
    {
        "bbox" => new QueryFilter(Bbox: new GeoBox(-5, 40, 15, 55)),
        "dates" => new QueryFilter(From: new DateTimeOffset(2017, 6, 1, 0, 0, 0, TimeSpan.Zero), To: new DateTimeOffset(2018, 3, 1, 0, 0, 0, TimeSpan.Zero)),
        "labels" => new QueryFilter(Labels: ["Pastures", "Water bodies"]),
        "excluded" => new QueryFilter(Excluded: _records.Where((_, i) => i % 3 == 1).Select(r => r.PatchId).ToHashSet()),
        "all" => new QueryFilter(new GeoBox(-10, 35, 20, 60), new DateTimeOffset(2017, 3, 1, 0, 0, 0, TimeSpan.Zero), null, ["Arable land", "Pastures"],
            _records.Where((_, i) => i % 7 == 0).Select(r => r.PatchId).ToHashSet()),
        "rare" => new QueryFilter(Bbox: new GeoBox(0, 40, 6, 46), Labels: ["Coniferous forest"]),
        "none-pass" => new QueryFilter(Bbox: new GeoBox(100, -10, 110, 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private List<string> BruteForce(CodeRecord query, int k, QueryTarget target, QueryFilter filter)
    {
        var code = HammingCode.FromBase64(query.Code);
        return _records
            .Where(r => r.PatchId != query.PatchId && (target == QueryTarget.Any || r.Modality.ToString() == target.ToString()))
            .Where(r => Passes(filter, r))
            .Select(r => (r.PatchId, Distance: code.DistanceTo(HammingCode.FromBase64(r.Code))))
            .OrderBy(c => c.Distance).ThenBy(c => PatchKey.Of(c.PatchId))
            .Take(k)
            .OrderBy(c => c.Distance).ThenBy(c => c.PatchId, StringComparer.Ordinal)
            .Select(c => c.PatchId)
            .ToList();
    }

    // The filter written out again, independently of QueryFilter.Matches.
    private bool Passes(QueryFilter filter, CodeRecord r)
    {
        var patch = _patches[r.PatchId];
        if (filter.Excluded?.Contains(r.PatchId) == true) return false;
        if (filter.Labels is { Count: > 0 } labels && !r.Labels.Intersect(labels).Any()) return false;
        if (filter.Bbox is { } box)
        {
            if (patch.Footprint is null) return false;
            var lons = patch.Footprint.Corners.Select(c => c.Lon).ToList();
            var lats = patch.Footprint.Corners.Select(c => c.Lat).ToList();
            if (lons.Max() < box.West || lons.Min() > box.East || lats.Max() < box.South || lats.Min() > box.North) return false;
        }
        if (filter.From is { } from && (patch.AcquiredAt is not { } t1 || t1 < from)) return false;
        if (filter.To is { } to && (patch.AcquiredAt is not { } t2 || t2 > to)) return false;
        return true;
    }
}
