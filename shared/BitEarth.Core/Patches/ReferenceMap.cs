namespace BitEarth.Core.Patches;

/// <summary>
/// BigEarthNet v2 states 19-class labels in its metadata.parquet (<see cref="BigEarthNetV2Metadata"/>); the 43-class
/// labels come from each patch's pixel-wise CLC reference map (<c>&lt;patch&gt;_reference_map.tif</c>, uint16 CLC
/// codes): the 43-class names of the codes that occur in it. Codes outside the 43 (no data, unlabelled) are ignored.
/// </summary>
public static class ReferenceMap
{
    public const string FileSuffix = "_reference_map.tif";

    public static IReadOnlyList<string> Labels(string file, byte[] tiff, int expectedWidth, int expectedHeight)
    {
        var raster = TiffRaster.Decode(file, tiff);
        if (raster.Bands != 1 || raster.Width != expectedWidth || raster.Height != expectedHeight)
            throw new PatchFormatException(file,
                $"reference map is {raster.Width}x{raster.Height}x{raster.Bands}, expected {expectedWidth}x{expectedHeight}x1");
        var codes = new SortedSet<int>();
        foreach (var value in raster.Pixels)
            codes.Add((int)value);
        return codes.Select(LandCoverClasses.NameOfClcCode).OfType<string>().ToArray();
    }
}
