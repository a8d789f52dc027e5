using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using BitEarth.Functions.Hosting;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Functions.Tests.Hosting;

/// <summary>
/// A store that does not answer (not listening, busy, timing out) is neither missing nor there: the check says so, for
/// a 503, instead of throwing out of start-up or a request, and asks again next time.
/// </summary>
public sealed class UnreachableStoresTests
{
    // The Cosmos DB emulator's public, documented key: not a secret.
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    [Fact]
    public async Task A_cosmos_account_that_does_not_listen_is_reported_as_unreachable_and_asked_again()
    {
        var port = FreePort();
        using var cosmos = new CosmosClient($"https://127.0.0.1:{port}/", EmulatorKey, new CosmosClientOptions
        {
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            RequestTimeout = TimeSpan.FromSeconds(2),
        });
        var blobs = new BlobServiceClient(new Uri($"http://127.0.0.1:{FreePort()}/devstoreaccount1"));
        using var resources = new AzureArchiveResources(cosmos, "bitearth", blobs, create: true);

        var clock = Stopwatch.StartNew();
        var first = await resources.FindMissingAsync(CancellationToken.None);
        Assert.NotNull(first);
        Assert.Contains("did not answer", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", first, StringComparison.Ordinal);
        var second = await resources.FindMissingAsync(CancellationToken.None);
        Assert.Contains("did not answer", second, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
