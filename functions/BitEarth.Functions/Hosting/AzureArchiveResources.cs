using System.Net;
using Azure.Storage.Blobs;
using BitEarth.Core.Stores;
using BitEarth.Storage;
using Microsoft.Azure.Cosmos;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// The Cosmos DB database and containers and the blob containers of the archive. With
/// <see cref="CreateSettingName"/> true (the local host's default) they are created when missing; otherwise (the
/// Function App: Bicep creates them) each call checks until all exist, and then never again.
/// </summary>
public sealed class AzureArchiveResources(CosmosClient cosmos, string database, BlobServiceClient blobs, bool create)
    : IArchiveResources, IDisposable
{
    public const string CreateSettingName = "BitEarth:CreateMissingResources";

    private static readonly string[] CosmosContainers =
        [CosmosCodeStore.CodesContainer, CosmosCodeStore.PatchesContainer, CosmosCodeStore.ControlContainer];

    private static readonly string[] BlobContainers = [Containers.Patches, Containers.Quarantine, Containers.Encoders, Containers.Snapshots];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _present;

    public async Task<string?> FindMissingAsync(CancellationToken ct)
    {
        if (_present) return null;
        await _gate.WaitAsync(ct);
        try
        {
            if (_present) return null;
            List<string> missing;
            try
            {
                if (create) await CreateAsync(ct);
                missing = await MissingAsync(ct);
            }
            catch (Exception e) when (Unreachable(e) is { } reason)
            {
                // Not known to be missing, not known to be there: this call answers 503, the next one asks again.
                return reason;
            }
            _present = missing.Count == 0;
            return _present ? null
                : $"{string.Join("; ", missing)} (deploy infra/main.bicep, or set {CreateSettingName}=true to create them)";
        }
        finally { _gate.Release(); }
    }

    public void Dispose() => _gate.Dispose();

    private async Task CreateAsync(CancellationToken ct)
    {
        await CosmosCodeStore.EnsureCreatedAsync(cosmos, database, ct);
        foreach (var name in BlobContainers) await blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: ct);
    }

    private async Task<List<string>> MissingAsync(CancellationToken ct)
    {
        var missing = new List<string>();
        var db = cosmos.GetDatabase(database);
        if (!await ExistsAsync(() => db.ReadAsync(cancellationToken: ct)))
            missing.Add($"Cosmos DB database '{database}' does not exist");
        else
            foreach (var name in CosmosContainers)
                if (!await ExistsAsync(() => db.GetContainer(name).ReadContainerAsync(cancellationToken: ct)))
                    missing.Add($"Cosmos DB database '{database}' has no container '{name}'");
        foreach (var name in BlobContainers)
        {
            if (!(await blobs.GetBlobContainerClient(name).ExistsAsync(ct)).Value) missing.Add($"blob container '{name}' does not exist");
        }
        return missing;
    }

    /// <summary>Why the stores could not be asked, where the answer may differ next time (busy, timed out, not listening).</summary>
    private string? Unreachable(Exception e) => e switch
    {
        CosmosException c when c.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests =>
            $"Cosmos DB account {cosmos.Endpoint} did not answer ({(int)c.StatusCode} {c.StatusCode}); try again shortly",
        Azure.RequestFailedException r when r.Status is 0 or 408 or 500 or 503 =>
            $"blob storage {blobs.Uri} did not answer ({(r.Status == 0 ? "no response" : r.Status)}); try again shortly",
        HttpRequestException h => $"a store did not answer ({h.Message}); try again shortly",
        _ => null,
    };

    private static async Task<bool> ExistsAsync(Func<Task> read)
    {
        try { await read(); return true; }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound) { return false; }
    }
}
