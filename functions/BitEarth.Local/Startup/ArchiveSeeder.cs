
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;

namespace BitEarth.Local.Startup;

/// <summary>
/// Fills an empty patches container: with the blobs of a real BigEarthNet/EuroSAT folder when one is given, else with a
/// synthetic paired S1/S2 archive. A container that already holds patches (a restart) is left as it is.
/// </summary>
public static class ArchiveSeeder
{
    public static async Task<int> SeedAsync(IBlobStore blobs, string? archive, int syntheticPairs, CancellationToken ct)
    {
        await foreach (var _ in blobs.ListAsync(Containers.Patches, null, ct)) return 0;
        var source = archive is null ? SyntheticArchive.Generate(syntheticPairs, seed: 7) : ArchiveFolder.Enumerate(archive);
        int count = 0;
        foreach (var blob in source)
        {
            await blobs.WriteAsync(Containers.Patches, blob.Name, new MemoryStream(blob.Content), ct);
            count++;
        }
        return count;
    }
}
