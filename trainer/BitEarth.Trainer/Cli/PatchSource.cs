using BitEarth.Core.Patches;
using BitEarth.Core.Synthetic;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// Where training patches come from: a real archive folder (BigEarthNet v1/v2, EuroSAT) or the synthetic paired
/// archive; both arrive as ingest blobs and go through the same reader as ingest. BigEarthNet's 43-class labels are
/// folded into the 19-class nomenclature, or v2 patches' own 19-class labels (<see cref="LandCoverClasses.ForScoring(Patch)"/>), so training and evaluation use the
/// classes the literature reports on; EuroSAT's stay as they are.
/// </summary>
public static class PatchSource
{
    /// <summary>Patches that cannot be read are reported to <paramref name="skipped"/> and left out.</summary>
    public static IEnumerable<Patch> Archive(string root, Action<string> skipped) => Read(ArchiveFolder.Enumerate(root), skipped);

    public static IEnumerable<Patch> Synthetic(int pairs, int seed, Action<string> skipped) => Read(SyntheticArchive.Generate(pairs, seed), skipped);

    /// <summary>Ingest blobs as the patches container holds them (e.g. read from a blob container).</summary>
    public static IEnumerable<Patch> Blobs(IEnumerable<PatchBlob> blobs, Action<string> skipped) => Read(blobs, skipped);

    private static IEnumerable<Patch> Read(IEnumerable<PatchBlob> blobs, Action<string> skipped)
    {
        foreach (var blob in blobs)
        {
            Patch patch;
            try
            {
                using var content = new MemoryStream(blob.Content, writable: false);
                patch = PatchBlobReader.Read(blob.Name, content);
            }
            catch (PatchFormatException e)
            {
                skipped($"{e.File}: {e.Reason}");
                continue;
            }
            yield return patch with { Labels = LandCoverClasses.ForScoring(patch) };
        }
    }
}
