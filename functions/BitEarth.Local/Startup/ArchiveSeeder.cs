using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;

namespace BitEarth.Local.Startup;

/// <summary>
/// Copies an archive into the patches container: the blobs of a real BigEarthNet/EuroSAT folder when one is given,
/// else a synthetic paired S1/S2 archive. Resumable: each blob is written whole (temp + rename, or one upload) and
/// the source is marked seeded only after its last blob, so a host killed mid-copy copies the missing rest on its next
/// start; once marked, a restart adds nothing (patches since deleted or quarantined stay gone).
/// </summary>
public static class ArchiveSeeder
{
    /// <summary>Local-host bookkeeping, apart from the app's containers: one completion mark per seeded source.</summary>
    public const string SeedContainer = "local-seed";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Returns how many blobs were added now. <paramref name="changePlaces"/> adds the synthetic change pairs (<see cref="SyntheticChanges"/>).</summary>
    public static async Task<int> SeedAsync(IBlobStore blobs, string? archive, int syntheticPairs, int changePlaces, CancellationToken ct)
    {
        var source = archive is null ? $"synthetic:{syntheticPairs}:7" + (changePlaces > 0 ? $"+changes:{changePlaces}" : "") : Path.GetFullPath(archive);
        var mark = MarkName(source);
        await using (var marked = await blobs.OpenReadAsync(SeedContainer, mark, ct))
            if (marked is not null) return 0;

        // Quarantined blobs count as present: the copy was made, and ingest moved it aside with its reason.
        var present = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var name in blobs.ListAsync(Containers.Patches, null, ct)) present.Add(name);
        await foreach (var name in blobs.ListAsync(Containers.Quarantine, null, ct)) present.Add(name);

        var content = archive is null
            ? SyntheticArchive.Generate(syntheticPairs, seed: 7).Concat(SyntheticChanges.Generate(changePlaces, seed: 7))
            : ArchiveFolder.Enumerate(archive);
        int total = 0, added = 0;
        foreach (var blob in content)
        {
            total++;
            if (present.Contains(blob.Name)) continue;
            await blobs.WriteAsync(Containers.Patches, blob.Name, new MemoryStream(blob.Content), ct);
            added++;
            KillSwitch.Passed("seed");
        }
        var done = JsonSerializer.SerializeToUtf8Bytes(new { source, blobs = total, seededAt = DateTimeOffset.UtcNow }, Json);
        await blobs.WriteAsync(SeedContainer, mark, new MemoryStream(done), ct);
        return added;
    }

    /// <summary>A source path may hold any character; its mark is named by a hash of it.</summary>
    private static string MarkName(string source) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..32] + ".json";
}
