namespace BitEarth.Functions.Hosting;

/// <summary>
/// The databases, containers and blob containers the archive's stores need. A host that does not create them (the
/// Function App, where Bicep does) answers 503 with what is missing instead of failing deep inside a store call.
/// </summary>
public interface IArchiveResources
{
    /// <summary>Null when everything exists (after creating what is missing, where that is allowed); else what is missing.</summary>
    Task<string?> FindMissingAsync(CancellationToken ct);
}

/// <summary>Stores that create their folders and files on first write (the embedded ones): nothing can be missing.</summary>
public sealed class SelfCreatingResources : IArchiveResources
{
    public Task<string?> FindMissingAsync(CancellationToken ct) => Task.FromResult<string?>(null);
}
