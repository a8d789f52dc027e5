using System.Runtime.CompilerServices;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Onnx.Pretrained;

/// <summary>
/// A seeded random sample of the readable patches in the patches container, up to a number per modality: what an
/// unsupervised encoder is fitted on. Blob names are shuffled before reading, so the sample spans the whole archive
/// rather than its first names (EuroSAT, listed by name, starts with one class). Unreadable blobs are skipped; ingest
/// quarantines them with their reason.
/// </summary>
public static class ArchiveSample
{
    public const int DefaultPerModality = 2000;

    /// <summary>
    /// Patches one by one (a fit keeps only their features, so memory stays small); stops once every modality has
    /// <paramref name="perModality"/> patches or after reading twice as many blobs as the whole sample may hold, so an
    /// archive without one modality is not read to the end.
    /// </summary>
    public static async IAsyncEnumerable<Patch> ReadAsync(IBlobStore blobs, int perModality, int seed,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(perModality, 1);
        var names = new List<string>();
        await foreach (var name in blobs.ListAsync(Containers.Patches, null, ct)) names.Add(name);
        names.Sort(StringComparer.Ordinal); // listing order is the store's; the sample depends only on the names and the seed
        var shuffled = names.ToArray();
        new Random(seed).Shuffle(shuffled);

        var counts = new Dictionary<Modality, int>();
        int modalities = Enum.GetValues<Modality>().Length;
        long readLimit = 2L * perModality * modalities, read = 0;
        foreach (var name in shuffled)
        {
            if (counts.Count == modalities && counts.Values.All(c => c >= perModality)) break;
            if (read++ >= readLimit) break;
            await using var stream = await blobs.OpenReadAsync(Containers.Patches, name, ct);
            if (stream is null) continue;
            Patch patch;
            try
            {
                var content = await PatchBlobReader.ReadBlobAsync(stream, ct);
                if (content is null) continue;
                patch = PatchBlobReader.Read(name, content);
            }
            catch (PatchFormatException) { continue; }
            int count = counts.GetValueOrDefault(patch.Modality);
            if (count >= perModality) continue;
            counts[patch.Modality] = count + 1;
            yield return patch;
        }
    }
}
