namespace BitEarth.Storage;

/// <summary>
/// The "Cosmos" configuration section: a connection string (an emulator such as cosmosdb-server) or the account
/// endpoint, reached with the token credential the same section names (credential, clientId, ... as
/// Microsoft.Extensions.Azure reads them; none: DefaultAzureCredential), and the database.
/// </summary>
public sealed class CosmosOptions
{
    public string? ConnectionString { get; set; }
    public Uri? Endpoint { get; set; }
    public string Database { get; set; } = "bitearth";
}
