using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Storage.Tests;

/// <summary>
/// The local Cosmos server as tools/servers/cosmos.js runs it: quirks of @vercel/cosmosdb-server that would make
/// integration tests fail depending on how many databases earlier tests created.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CosmosServerQuirkTests
{
    // The unpatched server gives two of every 64 consecutive databases a resource id with '+' or '/', unreachable.
    [Fact]
    public async Task Every_one_of_64_consecutive_databases_is_reachable()
    {
        await LocalServers.RequireCosmosAsync();
        var names = Enumerable.Range(0, 64).Select(i => $"quirk{i:d2}-{Guid.NewGuid():N}"[..20]).ToList();
        try
        {
            foreach (var name in names)
            {
                var store = await CosmosCodeStore.CreateAsync(LocalServers.CosmosClient, name);
                var shard = CodeRecord.ShardFor("e", Modality.S2, 0);
                await store.UpsertCodeAsync(new CodeRecord("e|p", shard, "p", "e", Modality.S2, "AAAAAAAAAAA=", [], "blob"));
                await store.UpsertPatchAsync(new PatchRecord("p", Modality.S2, [], "blob", 1, 1, null, null));
                Assert.NotNull(await store.GetPatchAsync("p"));
                Assert.Single(await store.ReadShardAsync(shard).ToListAsync());
                Assert.Single(await store.ReadShardSinceAsync(shard, 0).ToListAsync());
            }
        }
        finally
        {
            foreach (var name in names)
                try { await LocalServers.CosmosClient.GetDatabase(name).DeleteAsync(); }
                catch (CosmosException) { /* never created, or the failure above already reports it */ }
        }
    }
}
