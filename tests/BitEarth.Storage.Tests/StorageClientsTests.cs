using System.Reflection;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Storage.Tests;

public sealed class StorageClientsTests
{
    private const string AzuriteKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void A_patch_storage_connection_string_gives_a_shared_key_client_at_its_blob_endpoint()
    {
        using var services = Services(new()
        {
            ["PatchStorage"] = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};" +
                "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
        });
        var client = services.GetRequiredService<BlobServiceClient>();

        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), client.Uri);
        Assert.True(client.CanGenerateAccountSasUri); // the account key signs requests
        Assert.Null(TokenCredentialOf(client));
    }

    [Fact]
    public void The_deployed_blob_service_uri_and_client_id_give_a_managed_identity_client_without_keys()
    {
        // The app settings of infra/modules/function-app.bicep, as the worker's configuration sees them.
        using var services = Services(new()
        {
            ["PatchStorage:blobServiceUri"] = "https://bitearthdata.blob.core.windows.net/",
            ["PatchStorage:queueServiceUri"] = "https://bitearthdata.queue.core.windows.net/",
            ["PatchStorage:credential"] = "managedidentity",
            ["PatchStorage:clientId"] = "00000000-0000-0000-0000-000000000001",
        });
        var client = services.GetRequiredService<BlobServiceClient>();

        Assert.Equal(new Uri("https://bitearthdata.blob.core.windows.net/"), client.Uri);
        Assert.Equal("bitearthdata", client.AccountName);
        Assert.False(client.CanGenerateAccountSasUri);
        Assert.IsType<ManagedIdentityCredential>(TokenCredentialOf(client));
    }

    [Fact]
    public void A_service_uri_and_client_id_are_read_as_Microsoft_Extensions_Azure_reads_them()
    {
        using var services = Services(new()
        {
            ["PatchStorage:serviceUri"] = "https://other.blob.core.windows.net/",
            ["PatchStorage:credential"] = "managedidentity",
            ["PatchStorage:clientId"] = "00000000-0000-0000-0000-000000000002",
        });
        var client = services.GetRequiredService<BlobServiceClient>();

        Assert.Equal(new Uri("https://other.blob.core.windows.net/"), client.Uri);
        Assert.IsType<ManagedIdentityCredential>(TokenCredentialOf(client));
    }

    [Fact]
    public void A_blob_service_uri_without_credential_keys_uses_the_default_credential()
    {
        using var services = Services(new() { ["PatchStorage:blobServiceUri"] = "https://bitearthdata.blob.core.windows.net/" });

        Assert.IsType<DefaultAzureCredential>(TokenCredentialOf(services.GetRequiredService<BlobServiceClient>()));
    }

    [Fact]
    public void The_deployed_cosmos_endpoint_and_database_give_an_identity_client_with_the_default_transport()
    {
        using var services = Services(new()
        {
            ["Cosmos:Endpoint"] = "https://bitearth.documents.azure.com:443/",
            ["Cosmos:Database"] = "archive",
        });
        var client = services.GetRequiredService<CosmosClient>();

        Assert.Equal(new Uri("https://bitearth.documents.azure.com:443/"), client.Endpoint);
        Assert.Equal(ConnectionMode.Direct, client.ClientOptions.ConnectionMode);
        Assert.Null(client.ClientOptions.HttpClientFactory);
        Assert.Equal("archive", services.GetRequiredService<CosmosOptions>().Database);
        using var unnamed = Services(new() { ["Cosmos:Endpoint"] = "https://bitearth.documents.azure.com:443/" });
        Assert.Equal("bitearth", unnamed.GetRequiredService<CosmosOptions>().Database);
    }

    [Fact]
    public void A_loopback_cosmos_endpoint_is_treated_as_an_emulator()
    {
        using var services = Services(new()
        {
            ["Cosmos:ConnectionString"] = "AccountEndpoint=https://127.0.0.1:8081/;AccountKey=" + Convert.ToBase64String(new byte[64]),
        });
        var client = services.GetRequiredService<CosmosClient>();

        Assert.Equal(ConnectionMode.Gateway, client.ClientOptions.ConnectionMode);
        Assert.True(client.ClientOptions.LimitToEndpoint);
        Assert.NotNull(client.ClientOptions.HttpClientFactory);
    }

    [Fact]
    public void Missing_configuration_is_an_error_that_says_what_is_needed()
    {
        using var services = Services([]);
        var blob = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<BlobServiceClient>());
        Assert.Contains("serviceUri", blob.Message);
        var cosmos = Assert.Throws<ArgumentException>(() => StorageClients.CreateCosmosClient(new CosmosOptions()));
        Assert.Contains("Endpoint", cosmos.Message);
        var noCredential = Assert.Throws<ArgumentException>(() =>
            StorageClients.CreateCosmosClient(new CosmosOptions { Endpoint = new Uri("https://bitearth.documents.azure.com/") }));
        Assert.Contains("credential", noCredential.Message);
        var noEndpoint = Assert.Throws<ArgumentException>(() =>
            StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = "AccountKey=abc" }));
        Assert.Contains("AccountEndpoint", noEndpoint.Message);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddStorageClients(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    /// <summary>
    /// The token credential a blob client signs with. The SDK keeps it in internal configuration, so this reads it by
    /// reflection; a renamed member fails here, loudly, rather than passing.
    /// </summary>
    private static TokenCredential? TokenCredentialOf(BlobServiceClient client)
    {
        var configuration = typeof(BlobServiceClient).GetProperty("ClientConfiguration", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(client)!;
        var property = configuration.GetType().GetProperty("TokenCredential", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!;
        return (TokenCredential?)property.GetValue(configuration);
    }
}
