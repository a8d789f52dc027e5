using System.Net;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Storage.Tests;

[Trait("Category", "Integration")]
public sealed class CosmosCodeStoreTests : CodeStoreContract, IAsyncLifetime
{
    private readonly string _database = "test-" + Guid.NewGuid().ToString("N")[..12];
    private CosmosCodeStore? _store;

    protected override ICodeStore Store => _store ?? throw new InvalidOperationException("store not created");

    // A small page so every contract test that reads more than a few codes also walks continuation tokens.
    public async Task InitializeAsync()
    {
        await LocalServers.RequireCosmosAsync();
        _store = await CosmosCodeStore.CreateAsync(LocalServers.CosmosClient, _database, shardPageSize: 7);
    }

    public async Task DisposeAsync()
    {
        if (_store is null)
            return; // InitializeAsync failed before the database existed; that failure is what the test reports
        try
        {
            await LocalServers.CosmosClient.GetDatabase(_database).DeleteAsync();
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // A test that already deleted its database has nothing left to clean up.
        }
    }

    [Fact]
    public async Task Creation_is_idempotent_and_sets_the_partition_keys()
    {
        await CosmosCodeStore.EnsureCreatedAsync(LocalServers.CosmosClient, _database);
        var database = LocalServers.CosmosClient.GetDatabase(_database);

        Assert.Equal("/shard", await PartitionKeyOf(database, CosmosCodeStore.CodesContainer));
        Assert.Equal("/id", await PartitionKeyOf(database, CosmosCodeStore.PatchesContainer));
        Assert.Equal("/id", await PartitionKeyOf(database, CosmosCodeStore.ControlContainer));
        var codes = await database.GetContainer(CosmosCodeStore.CodesContainer).ReadContainerAsync();
        Assert.Contains(codes.Resource.IndexingPolicy.ExcludedPaths, path => path.Path == "/code/?");
    }

    [Fact]
    public async Task Code_items_are_stored_under_their_deterministic_id_and_shard()
    {
        var record = Code("S2A_item", Modality.S2, prefix: 12, seed: 1, "Pastures");
        await Store.UpsertCodeAsync(record);

        var container = LocalServers.CosmosClient.GetContainer(_database, CosmosCodeStore.CodesContainer);
        using var response = await container.ReadItemStreamAsync(record.Id, new PartitionKey(record.Shard));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await new StreamReader(response.Content).ReadToEndAsync();
        Assert.Contains($"\"id\":\"{record.Id}\"", body);
        Assert.Contains("\"modality\":\"S2\"", body);
    }

    [Fact]
    public async Task Ids_cosmos_cannot_hold_are_rejected_before_the_call()
    {
        var record = Code("bad/id", Modality.S2, prefix: 1, seed: 1);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.UpsertCodeAsync(record));
        Assert.Contains("bad/id", error.Message);
    }

    [Fact]
    public async Task A_control_item_from_before_pending_encoders_reads_as_none_pending_and_keeps_its_id()
    {
        var control = LocalServers.CosmosClient.GetContainer(_database, CosmosCodeStore.ControlContainer);
        using (var old = new MemoryStream("{\"id\":\"active-encoder\",\"encoder\":\"lsh64-s42\"}"u8.ToArray()))
        using (var written = await control.UpsertItemStreamAsync(old, new PartitionKey("active-encoder")))
            written.EnsureSuccessStatusCode();

        var state = await Store.GetEncoderStateAsync();
        Assert.Equal("lsh64-s42", state.Active);
        Assert.Empty(state.Pending);
        await Store.AddPendingEncoderAsync("lsh128-s7");
        Assert.Equal("lsh128-s7", Assert.Single((await Store.GetEncoderStateAsync()).Pending));
        Assert.Equal("lsh64-s42", await Store.GetActiveEncoderAsync());
    }

    private static async Task<string> PartitionKeyOf(Database database, string container)
    {
        var properties = await database.GetContainer(container).ReadContainerAsync();
        return properties.Resource.PartitionKeyPath;
    }
}
