using System.Net;
using BitEarth.Core;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Storage.Tests;

/// <summary>
/// Shard snapshots in Azurite over codes in cosmosdb-server: the load from snapshots plus the _ts change feed equals
/// the load item by item, and a second resident index sees codes written after it loaded.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CosmosSnapshotTests : IAsyncLifetime
{
    private readonly string _database = "snap-" + Guid.NewGuid().ToString("N")[..12];
    private readonly AzureBlobStore _blobs = new(LocalServers.BlobService);
    private readonly ArchiveOptions _options = new() { IndexRefreshInterval = TimeSpan.Zero };
    // A seed of its own, so this test's encoder (and its snapshot blobs in the shared Azurite account) is its alone.
    private readonly LshHasher _hasher = LshHasher.Create(64, Random.Shared.Next(1_000_000, int.MaxValue));
    private CosmosCodeStore? _store;
    private EncoderCatalog? _encoders;

    private CosmosCodeStore Store => _store ?? throw new InvalidOperationException("store not created");

    public async Task InitializeAsync()
    {
        await LocalServers.RequireAzuriteAsync();
        await LocalServers.RequireCosmosAsync();
        _store = await CosmosCodeStore.CreateAsync(LocalServers.CosmosClient, _database, shardPageSize: 50);
        _encoders = new EncoderCatalog(_blobs, _store, _options, HasherKinds.BuiltIn);
        await _encoders.PublishAsync(_hasher);
    }

    public async Task DisposeAsync()
    {
        if (_store is null) return; // InitializeAsync failed before anything was created
        await foreach (var name in _blobs.ListAsync(Containers.Snapshots, _hasher.Version + "/"))
            await _blobs.DeleteAsync(Containers.Snapshots, name);
        await _blobs.DeleteAsync(Containers.Encoders, EncoderCatalog.BlobName(_hasher.Version));
        try
        {
            await LocalServers.CosmosClient.GetDatabase(_database).DeleteAsync();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Nothing left to clean up.
        }
    }

    [Fact]
    public async Task Loading_from_snapshots_and_the_ts_change_feed_equals_loading_item_by_item()
    {
        var written = await WriteCodesAsync(300, seed: 1);
        var refresh = await new CodeSnapshotWriter(Store, _blobs, _encoders!, _options).RefreshAsync(_hasher.Version);
        await WriteCodesAsync(20, seed: 2);
        await Store.UpsertCodeAsync(written[0] with { Labels = ["Relabelled"] });

        var fromSnapshots = await ResidentIndex.LoadAsync(Store, _blobs, _hasher.Version, 64, _options, CancellationToken.None);
        var itemByItem = await ResidentIndex.LoadAsync(Store, null, _hasher.Version, 64, _options, CancellationToken.None);

        Assert.Equal((32, 300L), (refresh.ShardsWritten, refresh.Records));
        Assert.Equal((32, 0, 0), (fromSnapshots.Loaded!.ShardsFromSnapshots, fromSnapshots.Loaded.ShardsReadWhole, fromSnapshots.Loaded.SnapshotsRefused));
        Assert.Equal(320, fromSnapshots.Count);
        Assert.Equal(await Contents(itemByItem), await Contents(fromSnapshots));
        Assert.Contains(await Contents(fromSnapshots), hit => hit.Labels == "Relabelled");
    }

    [Fact]
    public async Task A_second_cache_sees_codes_another_instance_wrote_after_it_loaded()
    {
        await WriteCodesAsync(60, seed: 3);
        await new CodeSnapshotWriter(Store, _blobs, _encoders!, _options).RefreshAsync(_hasher.Version);
        var cache = new ResidentIndexCache(Store, _encoders!, _options, _blobs);
        Assert.Equal(60, (await cache.GetAsync(_hasher.Version)).Count);

        var later = await WriteCodesAsync(5, seed: 4); // as another Function App instance would, straight to the store

        var index = await cache.GetAsync(_hasher.Version);
        Assert.Equal(65, index.Count);
        var hit = (await index.SearchAsync(later[0].Modality, HammingCode.FromBase64(later[0].Code), 1)).Single();
        Assert.Equal((0, later[0].PatchId), (hit.Distance, hit.Record.PatchId));
    }

    private async Task<List<CodeRecord>> WriteCodesAsync(int count, int seed)
    {
        var random = new Random(seed);
        var records = Enumerable.Range(0, count).Select(i =>
        {
            var code = new HammingCode(64, [(ulong)random.NextInt64() ^ (ulong)random.NextInt64() << 1]);
            var modality = i % 3 == 0 ? Modality.S1 : Modality.S2;
            var patchId = $"P{seed}_{i}";
            return new CodeRecord(CodeRecord.IdFor(_hasher.Version, patchId), CodeRecord.ShardFor(_hasher.Version, modality, code.Prefix(4)),
                patchId, _hasher.Version, modality, code.ToBase64(), i % 2 == 0 ? ["Pastures"] : [], $"{modality}/{patchId}.bep");
        }).ToList();
        await Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (record, ct) => await Store.UpsertCodeAsync(record, ct));
        return records;
    }

    private static async Task<List<(Modality, long, int, string, string, long, string Labels, string)>> Contents(ResidentIndex index)
    {
        var contents = new List<(Modality, long, int, string, string, long, string, string)>();
        foreach (var m in Enum.GetValues<Modality>())
            foreach (var h in await index.SearchAsync(m, new HammingCode(64, [0UL]), Math.Max(1, index.Count)))
                contents.Add((m, h.Key, h.Distance, h.Record.Id, h.Record.Code, h.Record.Stamp, string.Join("|", h.Record.Labels), h.Record.Blob));
        return contents;
    }
}
