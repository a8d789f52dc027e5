using System.IO.Compression;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Patches;

/// <summary>
/// Turns a real archive on disk into ingest blobs: every BigEarthNet patch folder (v1 <c>S2/&lt;patch&gt;</c>,
/// <c>S1/&lt;patch&gt;</c>, or v2 <c>BigEarthNet-S2/&lt;tile&gt;/&lt;patch&gt;</c> with its reference map) becomes
/// <c>bigearthnet/&lt;S1|S2&gt;/&lt;patch&gt;.zip</c>; every EuroSAT <c>&lt;Class&gt;/&lt;file&gt;.tif</c> becomes
/// <c>eurosat/&lt;Class&gt;/&lt;file&gt;.tif</c> unchanged. Any folder above these may be given as the root. A v2 patch
/// listed in its root's metadata.parquet also carries its 19-class labels in the zip (<see cref="BigEarthNetV2Metadata.EntrySuffix"/>);
/// one the parquet does not list carries none, and its 19 classes are then the fold of the reference map's 43.
/// </summary>
public static class ArchiveFolder
{
    /// <summary>Finds the patches under <paramref name="root"/> now; reads each one's files as the sequence is enumerated.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="PatchFormatException">While enumerating: a v2 root's metadata.parquet is unreadable or malformed.</exception>
    /// <exception cref="InvalidDataException">The root holds neither BigEarthNet patch folders nor EuroSAT class folders.</exception>
    public static IEnumerable<PatchBlob> Enumerate(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"archive folder '{root}' does not exist");
        var folders = new[] { root }
            .Concat(Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
        var patchFolders = folders.Where(PatchFolder.IsPatchFolder).ToList();
        var euroSatFiles = folders
            .Where(f => LandCoverClasses.EuroSat.Contains(Path.GetFileName(Path.TrimEndingDirectorySeparator(f))))
            .SelectMany(f => Directory.EnumerateFiles(f, "*.tif").Order(StringComparer.Ordinal))
            .ToList();
        if (patchFolders.Count == 0 && euroSatFiles.Count == 0)
            throw new InvalidDataException(
                $"'{root}' holds no BigEarthNet patch folder (<patch>/<patch>_B02.tif or _VV.tif) and no EuroSAT <Class>/<file>.tif");
        // Each v2 root's parquet is read once, when its first patch is zipped.
        var metadataByRoot = new Dictionary<string, BigEarthNetV2Metadata?>(StringComparer.Ordinal);
        BigEarthNetV2Metadata? MetadataOf(string folder) =>
            PatchFolder.V2Root(folder) is not { } v2Root ? null
            : metadataByRoot.TryGetValue(v2Root, out var known) ? known
            : metadataByRoot[v2Root] = BigEarthNetV2Metadata.ReadRoot(v2Root);
        return patchFolders.Select(f => ZipPatchFolder(f, MetadataOf(f))).Concat(euroSatFiles.Select(EuroSatBlob));
    }

    private static PatchBlob ZipPatchFolder(string folder, BigEarthNetV2Metadata? v2Metadata)
    {
        var patch = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var modality = File.Exists(Path.Combine(folder, $"{patch}_VV.tif")) ? Modality.S1 : Modality.S2;
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in PatchFolder.Files(folder))
                zip.CreateEntryFromFile(file, $"{patch}/{Path.GetFileName(file)}", CompressionLevel.Fastest);
            if (v2Metadata?.Labels19Of(patch) is { } labels19)
            {
                using var entry = zip.CreateEntry($"{patch}/{patch}{BigEarthNetV2Metadata.EntrySuffix}", CompressionLevel.Fastest).Open();
                entry.Write(BigEarthNetV2Metadata.ToEntry(labels19));
            }
        }
        return new PatchBlob($"bigearthnet/{modality}/{patch}.zip", buffer.ToArray());
    }

    private static PatchBlob EuroSatBlob(string file) =>
        new($"eurosat/{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}", File.ReadAllBytes(file));
}
