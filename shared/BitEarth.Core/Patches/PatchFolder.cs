namespace BitEarth.Core.Patches;

/// <summary>Finds the files that make up one BigEarthNet patch folder.</summary>
public static class PatchFolder
{
    /// <summary>True when the folder holds band GeoTIFFs named after it (<c>&lt;folder&gt;_B02.tif</c> or <c>_VV.tif</c>).</summary>
    public static bool IsPatchFolder(string folder)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
        return File.Exists(Path.Combine(folder, $"{name}_B02.tif")) || File.Exists(Path.Combine(folder, $"{name}_VV.tif"));
    }

    /// <summary>
    /// The folder's band GeoTIFFs and labels JSON, plus, in the v2 layout
    /// (<c>&lt;root&gt;/BigEarthNet-S2/&lt;tile&gt;/&lt;patch&gt;</c>), the patch's reference map from
    /// <c>&lt;root&gt;/Reference_Maps/&lt;tile&gt;/&lt;patch&gt;/</c> when it exists.
    /// </summary>
    public static IReadOnlyList<string> Files(string folder)
    {
        folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var patch = Path.GetFileName(folder);
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Path.GetFileName(f).StartsWith(patch + "_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (V2Root(folder) is { } v2Root)
        {
            var map = Path.Combine(v2Root, "Reference_Maps", Path.GetFileName(Path.GetDirectoryName(folder)!), patch, patch + ReferenceMap.FileSuffix);
            if (File.Exists(map))
                files.Add(map);
        }
        return files;
    }

    /// <summary>
    /// The archive root a patch folder lies in if it has the v2 layout (<c>&lt;root&gt;/BigEarthNet-S2/&lt;tile&gt;/&lt;patch&gt;</c>):
    /// three levels up; null when the path is not that deep.
    /// </summary>
    public static string? V2Root(string folder)
    {
        var tileFolder = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        var modalityFolder = Path.GetDirectoryName(tileFolder);
        return tileFolder is null || modalityFolder is null ? null : Path.GetDirectoryName(modalityFolder);
    }
}
