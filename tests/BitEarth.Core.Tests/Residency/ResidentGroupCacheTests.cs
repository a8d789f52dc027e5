using BitEarth.Core.Codes;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Tests.Residency;

/// <summary>
/// Capped residency: shard groups held whole within <see cref="ArchiveOptions.MaxResidentCodes"/>, loaded when a
/// search needs one and the least recently used evicted; every group search equals the whole index's.
/// </summary>
public sealed class ResidentGroupCacheTests : IAsyncLifetime, IDisposable
{
    private readonly EmbeddedArchive _archive = new();
    private List<CodeRecord> _records = null!;
    private ResidentIndex _whole = null!;

    public async Task InitializeAsync()
    {
        _records = await _archive.WriteCodesAsync(3000, seed: 5);
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        _whole = await _archive.LoadAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _whole.Dispose();
        _archive.Dispose();
    }

    [Fact]
    public async Task Group_searches_under_a_cap_equal_the_whole_index_and_stay_within_it()
    {
        long cap = _records.Count * 4 / 10;
        using var groups = Cache(cap);
        var random = new Random(3);
        for (int q = 0; q < 20; q++)
        {
            var query = Query(_records[random.Next(_records.Count)], k: 7);
            foreach (var group in ShardPlan.For(query, _archive.Options.PrefixBits, _archive.Options.ShardsPerGroup))
            {
                var (partial, _) = await groups.UseAsync(_archive.Encoder, 64, group, index => Task.FromResult(index.Search(group, query.Code, query.K)), default);
                Assert.Equal(_whole.Search(group, query.Code, query.K).Hits, partial.Hits);
                Assert.InRange(groups.Counters.HeldCodes, 0, cap);
            }
        }
        var counters = groups.Counters;
        Assert.True(counters.Evictions > 0, $"{counters}");
        Assert.True(counters.Hits > 0, $"{counters}");
        Assert.False(groups.ArchiveFits(_archive.Encoder)); // every group measured, together above the cap
    }

    [Fact]
    public async Task Concurrent_searches_of_every_group_wait_for_room_instead_of_passing_the_cap()
    {
        long cap = _records.Count * 3 / 10;
        using var groups = Cache(cap);
        var query = Query(_records[0], k: 5);
        var plan = ShardPlan.For(query, _archive.Options.PrefixBits, _archive.Options.ShardsPerGroup);
        long highest = 0;
        var searches = Enumerable.Range(0, 4).SelectMany(_ => plan).Select(group => groups.UseAsync(_archive.Encoder, 64, group, async index =>
        {
            Interlocked.Exchange(ref highest, Math.Max(Interlocked.Read(ref highest), groups.Counters.HeldCodes));
            await Task.Delay(5);
            return index.Search(group, query.Code, query.K);
        }, default)).ToList();
        var results = await Task.WhenAll(searches);
        for (int i = 0; i < results.Length; i++)
            Assert.Equal(_whole.Search(plan[i % plan.Count], query.Code, query.K).Hits, results[i].Result.Hits);
        Assert.InRange(highest, 1, cap);
    }

    [Fact]
    public async Task An_archive_measured_within_the_cap_fits_and_a_group_above_it_is_refused()
    {
        using (var roomy = Cache(_records.Count))
        {
            var query = Query(_records[0], k: 3);
            foreach (var group in ShardPlan.For(query with { Modalities = Enum.GetValues<Modality>() }, _archive.Options.PrefixBits, _archive.Options.ShardsPerGroup))
                await roomy.UseAsync(_archive.Encoder, 64, group, index => Task.FromResult(index.Count), default);
            Assert.True(roomy.ArchiveFits(_archive.Encoder));
            Assert.Equal(0, roomy.Counters.Evictions);
        }
        using var tight = Cache(10);
        var first = ShardPlan.For(Query(_records[0], k: 3), _archive.Options.PrefixBits, _archive.Options.ShardsPerGroup)[0];
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => tight.UseAsync(_archive.Encoder, 64, first, index => Task.FromResult(0), default));
        Assert.Contains("MaxResidentCodes", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_reaches_the_group_that_holds_its_shard()
    {
        using var groups = Cache(_records.Count);
        var record = _records[0];
        var query = Query(record, k: 1);
        var group = ShardPlan.For(query, _archive.Options.PrefixBits, _archive.Options.ShardsPerGroup)[0];
        await groups.UseAsync(_archive.Encoder, 64, group, index => Task.FromResult(0), default);

        var moved = record with { PatchId = "written-now", Id = CodeRecord.IdFor(record.Encoder, "written-now"), Stamp = 0 };
        await groups.ApplyAsync(moved);
        Assert.Equal(HammingCode.FromBase64(record.Code), groups.ResidentCodeOf(_archive.Encoder, "written-now")?.Code);
    }

    private ResidentGroupCache Cache(long cap) =>
        new(_archive.Store, _archive.Blobs, _archive.Options with { MaxResidentCodes = cap, IndexRefreshInterval = TimeSpan.FromHours(1) });

    private PreparedQuery Query(CodeRecord record, int k) =>
        new(_archive.Encoder, HammingCode.FromBase64(record.Code), null, [record.Modality], k);
}
