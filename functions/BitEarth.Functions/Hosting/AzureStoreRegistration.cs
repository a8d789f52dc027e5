using Azure.Storage.Blobs;
using BitEarth.Core.Stores;
using BitEarth.Storage;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// Azure Blob Storage and Cosmos DB behind the store ports. The blob store uses the same "PatchStorage" connection as
/// the blob trigger: a connection string (Azurite) or, in Azure, PatchStorage__blobServiceUri with the managed identity.
/// </summary>
public static class AzureStoreRegistration
{
    public static IServiceCollection AddAzureStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddStorageClients(configuration);
        services.AddSingleton<IBlobStore>(sp => new AzureBlobStore(sp.GetRequiredService<BlobServiceClient>()));
        services.AddSingleton<ICodeStore>(sp => new CosmosCodeStore(sp.GetRequiredService<CosmosClient>(), sp.GetRequiredService<CosmosOptions>().Database));
        // Deployed, Bicep creates the database and containers; elsewhere the setting may let the app create them.
        bool create = configuration.GetValue<bool>(AzureArchiveResources.CreateSettingName);
        services.AddSingleton<IArchiveResources>(sp => new AzureArchiveResources(sp.GetRequiredService<CosmosClient>(),
            sp.GetRequiredService<CosmosOptions>().Database, sp.GetRequiredService<BlobServiceClient>(), create));
        return services;
    }
}
