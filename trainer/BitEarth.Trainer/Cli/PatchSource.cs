using BitEarth.Core.Archive;
using BitEarth.Core.Patches;

namespace BitEarth.Trainer.Cli;

/// <summary>Where training patches come from: a real archive folder (BigEarthNet v1/v2, EuroSAT).</summary>
public static class PatchSource
{
    /// <summary>Reads every patch under <paramref name="root"/>; patches that cannot be read are reported and skipped.</summary>
    public static IEnumerable<Patch> Archive(string root, Action<string> skipped)
    {
        foreach (var blob in ArchiveFolder.Enumerate(root))
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
            yield return patch;
        }
    }
}
