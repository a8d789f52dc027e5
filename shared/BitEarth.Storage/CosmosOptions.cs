namespace BitEarth.Storage;

/// <summary>
/// Where the code store lives: a connection string (an emulator such as cosmosdb-server) or the account endpoint,
/// which is reached with the process's Entra identity (DefaultAzureCredential) and no keys.
/// </summary>
public sealed class CosmosOptions
{
    public string? ConnectionString { get; set; }
    public Uri? Endpoint { get; set; }
    public string DatabaseName { get; set; } = "bitearth";
    /// <summary>Client id of a user-assigned managed identity; null for the system identity or a developer login.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
