namespace BitEarth.Storage;

/// <summary>
/// Where the blob store lives: a connection string (Azurite, or a key-based account) or the account's blob service
/// URI, which is reached with the process's Entra identity (DefaultAzureCredential) and no keys.
/// </summary>
public sealed class BlobStorageOptions
{
    public string? ConnectionString { get; set; }
    public Uri? ServiceUri { get; set; }
    /// <summary>Client id of a user-assigned managed identity; null for the system identity or a developer login.</summary>
    public string? ManagedIdentityClientId { get; set; }
}
