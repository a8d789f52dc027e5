using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Tests.Residency;

namespace BitEarth.Core.Tests.Query;

/// <summary>
/// The query path against a brute-force top-k over a random archive: every patch as a query by id, several k, every
/// target. The oracle keeps the k nearest other patches of the target modalities (ties at the cut by key, as the
/// index breaks them) and orders them by distance then patch id. The encoder claims one code space for both modalities,
/// so every target is searched (LSH's own refusal of cross-modal targets is QueryTargetTests').
/// </summary>
public sealed class BruteForceOracleTests : IAsyncLifetime, IDisposable
{
    private readonly EmbeddedArchive _archive = new();
    private List<CodeRecord> _records = null!;
    private ArchiveSearch _search = null!;

    public async Task InitializeAsync()
    {
        _records = await _archive.WriteCodesAsync(240, seed: 12);
        await _archive.Encoders.PublishAsync(new Hashing.RecordingHasher(_archive.Hasher, shared: true));
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        _search = new ArchiveSearch(_archive.Encoders, new ResidentIndexCache(_archive.Store, _archive.Encoders, _archive.Options, _archive.Blobs),
            _archive.Options);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _archive.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(30)]
    [InlineData(500)]
    public async Task Plan_group_searches_merge_and_answer_equal_brute_force(int k)
    {
        foreach (var target in Enum.GetValues<QueryTarget>())
            foreach (var record in _records)
            {
                var query = await _search.PrepareAsync(record.PatchId, k, target);
                Assert.Equal(HammingCode.FromBase64(record.Code), query.Code);
                // As the orchestration does it: every planned group on its own (in any order), one merge, one answer.
                var partials = new List<PartialTopK>();
                foreach (var group in _search.Plan(query).Reverse()) partials.Add(await _search.SearchGroupAsync(query, group));
                var fannedOut = await _search.AnswerAsync(query, PartialTopK.Merge(partials, k), TimeSpan.Zero, ArchiveSearch.FanOutPath);
                // As the uncapped orchestration does it: its one search merges every group, then the orchestrator merges.
                var searches = new List<PartialTopK>();
                foreach (var groups in ShardPlan.Searches(_search.Plan(query), capped: false))
                {
                    var groupPartials = new List<PartialTopK>();
                    foreach (var group in groups) groupPartials.Add(await _search.SearchGroupAsync(query, group));
                    searches.Add(PartialTopK.Merge(groupPartials, k));
                }
                var oneSearch = await _search.AnswerAsync(query, PartialTopK.Merge(searches, k), TimeSpan.Zero, ArchiveSearch.FanOutPath);
                var inProcess = await _search.SearchInProcessAsync(query);

                var expected = BruteForce(record, k, target);
                Assert.Equal(expected, Shape(fannedOut));
                Assert.Equal(expected, Shape(oneSearch));
                Assert.Equal(expected, Shape(inProcess));
                Assert.Equal(fannedOut.CodesScanned, inProcess.CodesScanned);
                Assert.Equal(oneSearch.CodesScanned, inProcess.CodesScanned);
                Assert.Equal(oneSearch.ShardsVisited, inProcess.ShardsVisited);
            }
    }

    [Fact]
    public async Task An_unknown_patch_id_is_not_found() =>
        await Assert.ThrowsAsync<PatchNotFoundException>(() => _search.PrepareAsync("no-such-patch", 5, QueryTarget.Any));

    private List<string> BruteForce(CodeRecord query, int k, QueryTarget target)
    {
        var code = HammingCode.FromBase64(query.Code);
        return _records
            .Where(r => r.PatchId != query.PatchId && (target == QueryTarget.Any || r.Modality.ToString() == target.ToString()))
            .Select(r => (Record: r, Distance: code.DistanceTo(HammingCode.FromBase64(r.Code))))
            .OrderBy(c => c.Distance).ThenBy(c => PatchKey.Of(c.Record.PatchId))
            .Take(k)
            .OrderBy(c => c.Distance).ThenBy(c => c.Record.PatchId, StringComparer.Ordinal)
            .Select(c => Line(c.Record.PatchId, c.Distance, c.Record.Labels, c.Record.Modality, c.Record.Blob))
            .ToList();
    }

    private static List<string> Shape(QueryAnswer answer) =>
        answer.Results.Select(r => Line(r.PatchId, r.Distance, r.Labels, r.Modality, r.Blob)).ToList();

    private static string Line(string patchId, int distance, IEnumerable<string> labels, Modality modality, string blob) =>
        $"{patchId} {distance} {modality} {blob} {string.Join('|', labels)}";
}
