using System.IO.Compression;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Patches;

/// <summary>
/// Turns a real archive on disk into ingest blobs: every BigEarthNet patch folder (v1 <c>S2/&lt;patch&gt;</c>,
/// <c>S1/&lt;patch&gt;</c>, or v2 <c>BigEarthNet-S2/&lt;tile&gt;/&lt;patch&gt;</c> with its reference map) becomes
/// <c>bigearthnet/&lt;S1|S2&gt;/&lt;patch&gt;.zip</c>; every EuroSAT <c>&lt;Class&gt;/&lt;file&gt;.tif</c> becomes
/// <c>eurosat/&lt;Class&gt;/&lt;file&gt;.tif</c> unchanged. Any folder above these may be given as the root.
/// </summary>
public static class ArchiveFolder
{
    /// <summary>Finds the patches under <paramref name="root"/> now; reads each one's files as the sequence is enumerated.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
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
        return patchFolders.Select(ZipPatchFolder).Concat(euroSatFiles.Select(EuroSatBlob));
    }

    private static PatchBlob ZipPatchFolder(string folder)
    {
        var patch = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        var modality = File.Exists(Path.Combine(folder, $"{patch}_VV.tif")) ? Modality.S1 : Modality.S2;
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var file in PatchFolder.Files(folder))
                zip.CreateEntryFromFile(file, $"{patch}/{Path.GetFileName(file)}", CompressionLevel.Fastest);
        return new PatchBlob($"bigearthnet/{modality}/{patch}.zip", buffer.ToArray());
    }

    private static PatchBlob EuroSatBlob(string file) =>
        new($"eurosat/{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)}", File.ReadAllBytes(file));
}
