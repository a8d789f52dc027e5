using BitEarth.Core.Stores;
using BitEarth.Storage;
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
        var blob = new BlobStorageOptions
        {
            ConnectionString = configuration["PatchStorage"],
            ServiceUri = Uri.TryCreate(configuration["PatchStorage:blobServiceUri"], UriKind.Absolute, out var uri) ? uri : null,
            ManagedIdentityClientId = configuration["PatchStorage:clientId"],
        };
        var cosmos = configuration.GetSection("Cosmos").Get<CosmosOptions>() ?? new CosmosOptions();
        // The deployed app setting is Cosmos__Database (infra/modules/function-app.bicep).
        if (configuration["Cosmos:Database"] is { Length: > 0 } database) cosmos.DatabaseName = database;
        services.AddSingleton<IBlobStore>(_ => new AzureBlobStore(StorageClients.CreateBlobServiceClient(blob)));
        services.AddSingleton<ICodeStore>(_ => new CosmosCodeStore(StorageClients.CreateCosmosClient(cosmos), cosmos.DatabaseName));
        return services;
    }
}
