using System.Data.Common;
using System.Net.Security;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Storage;

/// <summary>
/// Builds the one BlobServiceClient and one CosmosClient a process needs from configuration. A Cosmos endpoint on a
/// loopback address is taken for a local emulator: gateway mode, only that endpoint, and its self-signed certificate
/// accepted (for loopback hosts only; any other host still needs a valid chain).
/// </summary>
public static class StorageClients
{
    public static BlobServiceClient CreateBlobServiceClient(BlobStorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
            return new BlobServiceClient(options.ConnectionString);
        if (options.ServiceUri is { } uri)
            return new BlobServiceClient(uri, Credential(options.ManagedIdentityClientId));
        throw new ArgumentException("blob storage needs a ConnectionString or a ServiceUri", nameof(options));
    }

    public static CosmosClient CreateCosmosClient(CosmosOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var endpoint = EndpointOf(options.ConnectionString);
            return new CosmosClient(options.ConnectionString, ClientOptions(endpoint));
        }
        if (options.Endpoint is { } uri)
            return new CosmosClient(uri.ToString(), Credential(options.ManagedIdentityClientId), ClientOptions(uri));
        throw new ArgumentException("Cosmos DB needs a ConnectionString or an Endpoint", nameof(options));
    }

    private static TokenCredential Credential(string? managedIdentityClientId) =>
        new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = managedIdentityClientId,
        });

    private static CosmosClientOptions ClientOptions(Uri endpoint)
    {
        if (!endpoint.IsLoopback)
            return new CosmosClientOptions();
        return new CosmosClientOptions
        {
            // Emulators speak only the gateway protocol and advertise addresses we must not follow.
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            HttpClientFactory = () => new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (request, _, _, errors) =>
                    errors == SslPolicyErrors.None || request.RequestUri is { IsLoopback: true },
            }),
        };
    }

    private static Uri EndpointOf(string connectionString)
    {
        var parts = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (parts.TryGetValue("AccountEndpoint", out var value) && Uri.TryCreate(value as string, UriKind.Absolute, out var uri))
            return uri;
        throw new ArgumentException("Cosmos connection string has no valid AccountEndpoint", nameof(connectionString));
    }
}
