using System.Net.Sockets;
using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Storage.Tests;

/// <summary>
/// The protocol servers tools/servers/start.sh runs (Azurite, cosmosdb-server), or others named by
/// BITEARTH_AZURITE_CONNECTION and BITEARTH_COSMOS_ENDPOINT. Integration tests fail, not skip, when they are down.
/// </summary>
public static class LocalServers
{
    // The public, documented development credentials of Azurite and the Cosmos DB emulator: not secrets.
    private const string AzuriteDefault =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";
    private const string CosmosEmulatorKey =
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private static readonly Lazy<BlobServiceClient> Blobs = new(() => new BlobServiceClient(AzuriteConnection));

    private static readonly Lazy<CosmosClient> Cosmos = new(() => StorageClients.CreateCosmosClient(
        new CosmosOptions { ConnectionString = $"AccountEndpoint={CosmosEndpoint};AccountKey={CosmosEmulatorKey};" }));

    public static string AzuriteConnection =>
        Environment.GetEnvironmentVariable("BITEARTH_AZURITE_CONNECTION") is { Length: > 0 } value ? value : AzuriteDefault;

    public static string CosmosEndpoint =>
        Environment.GetEnvironmentVariable("BITEARTH_COSMOS_ENDPOINT") is { Length: > 0 } value
            ? value
            : "https://127.0.0.1:8081";

    /// <summary>
    /// Fails at once with what to do when Azurite is not listening, instead of after the SDK's retries.
    /// </summary>
    public static Task RequireAzuriteAsync() => RequireListeningAsync("Azurite", BlobService.Uri);

    public static Task RequireCosmosAsync() => RequireListeningAsync("cosmosdb-server", new Uri(CosmosEndpoint));

    /// <summary>One client per test run, as in a real process.</summary>
    public static BlobServiceClient BlobService => Blobs.Value;

    public static CosmosClient CosmosClient => Cosmos.Value;

    private static async Task RequireListeningAsync(string server, Uri endpoint)
    {
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"{server} is not listening at {endpoint.Host}:{endpoint.Port} ({e.Message}); " +
                "start it with tools/servers/start.sh", e);
        }
    }
}
