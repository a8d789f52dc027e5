namespace BitEarth.Functions.Tests;

/// <summary>
/// Tests of the Azurite backend share one storage account (its containers and task hub), so they run one at a time;
/// each uses a Cosmos database of its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteBackend
{
    public const string Name = "Azurite backend";
}
