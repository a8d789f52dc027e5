using System.Data.Common;
using System.Net.Security;
using Azure.Core;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Storage;

/// <summary>
/// The one BlobServiceClient and one CosmosClient a process needs, from configuration. A Cosmos endpoint on a
/// loopback address is taken for a local emulator: gateway mode, only that endpoint, and its self-signed certificate
/// accepted (for loopback hosts only; any other host still needs a valid chain).
/// </summary>
public static class StorageClients
{
    /// <summary>
    /// Registers the BlobServiceClient of the "PatchStorage" section, the blob trigger's connection: a connection
    /// string (Azurite), or blobServiceUri (as the trigger and infra/modules/function-app.bicep name it) or serviceUri
    /// with the credential keys Microsoft.Extensions.Azure reads (credential "managedidentity", clientId, ...); and
    /// the CosmosClient and <see cref="CosmosOptions"/> of the "Cosmos" section.
    /// </summary>
    public static IServiceCollection AddStorageClients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var patchStorage = configuration.GetSection("PatchStorage");
        var cosmosSection = configuration.GetSection("Cosmos");
        services.AddAzureClients(clients =>
        {
            // The client factory fills constructor parameters by name (serviceUri); the trigger's key is blobServiceUri.
            if (patchStorage.Value is null && patchStorage["blobServiceUri"] is { Length: > 0 } blobServiceUri)
                clients.AddBlobServiceClient(new Uri(blobServiceUri))
                    .WithCredential(sp => sp.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(patchStorage));
            else
                clients.AddBlobServiceClient(patchStorage);
        });
        var cosmos = cosmosSection.Get<CosmosOptions>() ?? new CosmosOptions();
        services.AddSingleton(cosmos);
        services.AddSingleton(sp => CreateCosmosClient(cosmos, sp.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(cosmosSection)));
        return services;
    }

    /// <summary>A client from the connection string, else from the endpoint and <paramref name="credential"/>.</summary>
    public static CosmosClient CreateCosmosClient(CosmosOptions options, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var endpoint = EndpointOf(options.ConnectionString);
            return new CosmosClient(options.ConnectionString, ClientOptions(endpoint));
        }
        if (options.Endpoint is not { } uri)
            throw new ArgumentException("Cosmos DB needs a ConnectionString or an Endpoint", nameof(options));
        if (credential is null)
            throw new ArgumentException("a Cosmos DB Endpoint needs a token credential", nameof(credential));
        return new CosmosClient(uri.ToString(), credential, ClientOptions(uri));
    }

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
