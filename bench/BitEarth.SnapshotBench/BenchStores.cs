using Azure.Storage.Blobs;
using BitEarth.Core.Stores;
using BitEarth.Storage;
using BitEarth.Storage.Embedded;
using Microsoft.Azure.Cosmos;

namespace BitEarth.SnapshotBench;

/// <summary>
/// The stores a run measures, removed afterwards: a temporary folder (embedded), or a database of its own on
/// cosmosdb-server with blobs in Azurite.
/// </summary>
public sealed class BenchStores : IAsyncDisposable
{
    // The public, documented development credentials of Azurite and the Cosmos DB emulator: not secrets.
    private const string Azurite = "UseDevelopmentStorage=true";
    private const string CosmosEmulator =
        "AccountEndpoint=https://127.0.0.1:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private readonly Func<ValueTask> _cleanup;

    private BenchStores(ICodeStore codes, IBlobStore blobs, Func<ValueTask> cleanup)
    {
        Codes = codes;
        Blobs = blobs;
        _cleanup = cleanup;
    }

    public ICodeStore Codes { get; }

    public IBlobStore Blobs { get; }

    public static async Task<BenchStores> OpenAsync(string backend)
    {
        if (backend == "embedded")
        {
            var root = Directory.CreateTempSubdirectory("bitearth-snapshot-bench-").FullName;
            var codes = new EmbeddedCodeStore(Path.Combine(root, "codes"));
            return new BenchStores(codes, new LocalFolderBlobStore(Path.Combine(root, "blobs")), () =>
            {
                codes.Dispose();
                Directory.Delete(root, recursive: true);
                return ValueTask.CompletedTask;
            });
        }
        var client = StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = CosmosEmulator });
        var database = "bench-" + Guid.NewGuid().ToString("N")[..12];
        var store = await CosmosCodeStore.CreateAsync(client, database);
        var blobs = new AzureBlobStore(new BlobServiceClient(Azurite));
        return new BenchStores(store, blobs, async () =>
        {
            try
            {
                await client.GetDatabase(database).DeleteAsync();
            }
            catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // cosmosdb-server loses databases whose resource id has a '+' or '/' in it; the run reports that error.
            }
            client.Dispose();
        });
    }

    public ValueTask DisposeAsync() => _cleanup();
}
