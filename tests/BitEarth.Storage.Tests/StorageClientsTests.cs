using Microsoft.Azure.Cosmos;

namespace BitEarth.Storage.Tests;

public sealed class StorageClientsTests
{
    [Fact]
    public void A_loopback_cosmos_endpoint_is_treated_as_an_emulator()
    {
        using var client = StorageClients.CreateCosmosClient(new CosmosOptions
        {
            ConnectionString = "AccountEndpoint=https://127.0.0.1:8081/;AccountKey=" + Convert.ToBase64String(new byte[64]),
        });

        Assert.Equal(ConnectionMode.Gateway, client.ClientOptions.ConnectionMode);
        Assert.True(client.ClientOptions.LimitToEndpoint);
        Assert.NotNull(client.ClientOptions.HttpClientFactory);
    }

    [Fact]
    public void A_cloud_endpoint_uses_identity_and_the_default_transport()
    {
        using var client = StorageClients.CreateCosmosClient(new CosmosOptions
        {
            Endpoint = new Uri("https://bitearth.documents.azure.com:443/"),
        });

        Assert.Equal(ConnectionMode.Direct, client.ClientOptions.ConnectionMode);
        Assert.Null(client.ClientOptions.HttpClientFactory);
        Assert.Equal(new Uri("https://bitearth.documents.azure.com:443/"), client.Endpoint);
    }

    [Fact]
    public void A_blob_service_uri_needs_no_key()
    {
        var client = StorageClients.CreateBlobServiceClient(new BlobStorageOptions
        {
            ServiceUri = new Uri("https://bitearth.blob.core.windows.net/"),
        });

        Assert.Equal("bitearth", client.AccountName);
        Assert.False(client.CanGenerateAccountSasUri); // no shared key anywhere in the client
    }

    [Fact]
    public void Missing_configuration_is_a_typed_error_that_says_what_is_needed()
    {
        var blob = Assert.Throws<ArgumentException>(() => StorageClients.CreateBlobServiceClient(new BlobStorageOptions()));
        Assert.Contains("ServiceUri", blob.Message);
        var cosmos = Assert.Throws<ArgumentException>(() => StorageClients.CreateCosmosClient(new CosmosOptions()));
        Assert.Contains("Endpoint", cosmos.Message);
        var noEndpoint = Assert.Throws<ArgumentException>(() =>
            StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = "AccountKey=abc" }));
        Assert.Contains("AccountEndpoint", noEndpoint.Message);
    }
}
