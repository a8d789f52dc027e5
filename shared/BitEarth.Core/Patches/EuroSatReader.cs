using BitEarth.Core.Geo;

namespace BitEarth.Core.Patches;

/// <summary>
/// Reads a EuroSAT multispectral GeoTIFF: 13 bands (B01..B12 including B10, then B8A last) of 64x64 uint16 at about
/// 10 m. B10 (cirrus) is dropped to match BigEarthNet's 12 bands; the single label is the class folder name.
/// </summary>
public static class EuroSatReader
{
    public const int Size = 64;

    // Band order inside the file, as the EuroSAT release writes it (B8A appended after B12). The sample data
    // confirms it: plane 9 holds tiny cirrus values (B10) and plane 12 tracks B08 closely (B8A).
    private static readonly string[] FileBands = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B10", "B11", "B12", "B8A"];

    /// <param name="file">File name or path; the patch id is the name without extension (e.g. <c>Forest_3</c>).</param>
    /// <param name="label">One of <see cref="LandCoverClasses.EuroSat"/>; null for an unlabelled patch (a query example).</param>
    public static Patch Read(string file, byte[] tiff, string? label)
    {
        if (label is not null && !LandCoverClasses.EuroSat.Contains(label))
            throw new PatchFormatException(file, $"unknown label '{label}' (not one of EuroSAT's 10 classes)");
        var raster = TiffRaster.Decode(file, tiff);
        if (raster.Width != Size || raster.Height != Size || raster.Bands != FileBands.Length)
            throw new PatchFormatException(file,
                $"{raster.Width}x{raster.Height}x{raster.Bands}, expected {Size}x{Size}x{FileBands.Length}");
        PixelChecks.RequireFinite(file, raster.Pixels);

        int plane = Size * Size;
        var pixels = new float[Bands.S2.Count * plane];
        for (int b = 0; b < Bands.S2.Count; b++)
            raster.Pixels.AsSpan(Array.IndexOf(FileBands, Bands.S2[b]) * plane, plane).CopyTo(pixels.AsSpan(b * plane));
        return new Patch(Path.GetFileNameWithoutExtension(file), Modality.S2, Size, Size, Bands.S2, pixels, label is null ? [] : [label])
        {
            Footprint = GeoTiffGeoreference.Footprint(tiff),
        };
    }

    public static Patch ReadFile(string path) =>
        Read(path, File.ReadAllBytes(path), Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "");
}
