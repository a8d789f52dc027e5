using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using System.Net.Sockets;
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

    // Cosmos DB runs a query given a partition key over that partition alone, whether or not its text names the key;
    // the server refused it ("missing partition keys") and, with the key in the text, scanned every partition.
    [Fact]
    public async Task A_query_given_its_partition_key_reads_that_partition_only()
    {
        await LocalServers.RequireCosmosAsync();
        var database = (await LocalServers.CosmosClient.CreateDatabaseAsync($"part-{Guid.NewGuid():N}"[..20])).Database;
        try
        {
            var container = (await database.CreateContainerAsync("docs", "/shard")).Container;
            foreach (var (id, shard) in new[] { ("a1", "a"), ("a2", "a"), ("b1", "b"), ("b2", "b"), ("b3", "b") })
                await container.UpsertItemAsync(new Doc(id, shard, 0), new PartitionKey(shard));
            await container.UpsertItemAsync(new Doc("a2", "a", 1), new PartitionKey("a"));

            var unfiltered = await QueryAsync<Doc>(container, "SELECT * FROM c", "b");
            var filtered = await QueryAsync<Doc>(container, "SELECT * FROM c WHERE c.shard = 'a'", "a");

            Assert.Equal(["b1", "b2", "b3"], unfiltered.Select(d => d.Id).Order());
            Assert.Equal([("a1", 0), ("a2", 1)], filtered.Select(d => (d.Id, d.Version)).Order());
        }
        finally
        {
            await database.DeleteAsync();
        }
    }

    // The query compiler gathered documents by copying its array once per document (O(n^2)); cosmos.js makes it append
    // in place. Every document of a query paged in small pages, JOINs included, comes back once.
    [Fact]
    public async Task A_paged_query_returns_every_document_once()
    {
        await LocalServers.RequireCosmosAsync();
        var database = (await LocalServers.CosmosClient.CreateDatabaseAsync($"page-{Guid.NewGuid():N}"[..20])).Database;
        try
        {
            var container = (await database.CreateContainerAsync("docs", "/shard")).Container;
            var ids = Enumerable.Range(0, 300).Select(i => $"d{i:d3}").ToList();
            await Task.WhenAll(ids.Select(id => container.UpsertItemAsync(new Doc(id, "s", 2), new PartitionKey("s"))));

            var all = await QueryAsync<Doc>(container, "SELECT * FROM c WHERE c.shard = 's'", "s", pageSize: 7);
            var joined = await QueryAsync<string>(container, "SELECT VALUE c.id FROM c JOIN t IN c.tags WHERE c.shard = 's'", "s", pageSize: 50);

            Assert.Equal(ids, all.Select(d => d.Id).Order());
            Assert.Equal(ids.SelectMany(id => new[] { id, id }).Order(), joined.Order());
        }
        finally
        {
            await database.DeleteAsync();
        }
    }

    // The server closed every connection after its response: each request paid a TCP and TLS handshake.
    [Fact]
    public async Task Sequential_requests_share_one_connection()
    {
        await LocalServers.RequireCosmosAsync();
        var connections = 0;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                Interlocked.Increment(ref connections);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            // The server's certificate is the self-signed one start.sh made for loopback: trusted there only.
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || new Uri(LocalServers.CosmosEndpoint).IsLoopback },
        };
        using var http = new HttpClient(handler);
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(new Uri(new Uri(LocalServers.CosmosEndpoint), "/"));
            Assert.NotEqual(true, response.Headers.ConnectionClose);
        }
        Assert.Equal(1, connections);
    }

    private static async Task<List<T>> QueryAsync<T>(Container container, string query, string partition, int pageSize = 100)
    {
        var documents = new List<T>();
        using var pages = container.GetItemQueryIterator<T>(query,
            requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partition), MaxItemCount = pageSize });
        while (pages.HasMoreResults)
            documents.AddRange(await pages.ReadNextAsync());
        return documents;
    }

    private sealed record Doc(
        [property: Newtonsoft.Json.JsonProperty("id")] string Id,
        [property: Newtonsoft.Json.JsonProperty("shard")] string Shard,
        [property: Newtonsoft.Json.JsonProperty("version")] int Version)
    {
        [Newtonsoft.Json.JsonProperty("tags")]
        public string[] Tags { get; init; } = ["x", "y"];
    }
}
