using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Storage.Embedded;

namespace BitEarth.Storage.Tests;

/// <summary>Both stores keep a patch's own 19-class labels (BigEarthNet v2's metadata.parquet), and null where it has none.</summary>
public sealed class PatchLabels19StoreTests
{
    private static readonly PatchRecord WithLabels19 = new("S2A_l19", Modality.S2, ["Pastures", "Mixed forest"], "bigearthnet/S2/S2A_l19.zip",
        120, 120, null, null) { Labels19 = ["Coniferous forest", "Inland waters"] };

    private static readonly PatchRecord Without = new("S2A_fold", Modality.S2, ["Pastures"], "bigearthnet/S2/S2A_fold.zip", 120, 120, null, null);

    [Fact]
    public async Task Embedded_store_keeps_labels19_across_a_reopen()
    {
        using var data = new TempDirectory();
        using (var store = new EmbeddedCodeStore(data.Path))
        {
            await store.UpsertPatchAsync(WithLabels19);
            await store.UpsertPatchAsync(Without);
        }
        using var reopened = new EmbeddedCodeStore(data.Path);

        Assert.Equal(WithLabels19.Labels19, (await reopened.GetPatchAsync(WithLabels19.Id))?.Labels19);
        Assert.Null((await reopened.GetPatchAsync(Without.Id))!.Labels19);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Cosmos_store_keeps_labels19()
    {
        await LocalServers.RequireCosmosAsync();
        var database = "test-l19-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            var store = await CosmosCodeStore.CreateAsync(LocalServers.CosmosClient, database);
            await store.UpsertPatchAsync(WithLabels19);
            await store.UpsertPatchAsync(Without);

            Assert.Equal(WithLabels19.Labels19, (await store.GetPatchAsync(WithLabels19.Id))?.Labels19);
            Assert.Null((await store.GetPatchAsync(Without.Id))!.Labels19);
        }
        finally
        {
            await LocalServers.CosmosClient.GetDatabase(database).DeleteAsync();
        }
    }
}
