using System.Buffers.Binary;

namespace BitEarth.Core.Geo;

/// <summary>
/// The grid placement a GeoTIFF carries in its first image directory: ModelTiepointTag (33922) ties raster (i, j) to
/// model (x, y), ModelPixelScaleTag (33550) gives the pixel size, and the GeoKeyDirectoryTag (34735) names the CRS in
/// ProjectedCSTypeGeoKey (3072). Only north-up grids in a WGS84 UTM zone make a footprint; anything else (no tags,
/// another CRS, BigTIFF, a damaged directory) gives none rather than a wrong one.
/// </summary>
public static class GeoTiffGeoreference
{
    private const int ImageWidth = 256, ImageLength = 257;
    private const int ModelPixelScale = 33550, ModelTiepoint = 33922, GeoKeyDirectory = 34735;
    private const int ProjectedCsTypeKey = 3072;

    public static GeoFootprint? Footprint(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return null;
        bool little = tiff[0] == 'I' && tiff[1] == 'I';
        if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return null;
        if (U16(tiff, 2, little) != 42) return null;
        long directory = U32(tiff, 4, little);
        if (directory < 8 || directory + 2 > tiff.Length) return null;
        int entries = U16(tiff, (int)directory, little);
        if (directory + 2 + 12L * entries > tiff.Length) return null;

        long width = 0, height = 0;
        double[]? scale = null, tiepoint = null;
        int[]? keys = null;
        for (int i = 0; i < entries; i++)
        {
            int entry = (int)directory + 2 + 12 * i;
            int tag = U16(tiff, entry, little), type = U16(tiff, entry + 2, little);
            long count = U32(tiff, entry + 4, little);
            switch (tag)
            {
                case ImageWidth: width = Scalar(tiff, entry, type, little); break;
                case ImageLength: height = Scalar(tiff, entry, type, little); break;
                case ModelPixelScale: scale = Doubles(tiff, entry, type, count, little); break;
                case ModelTiepoint: tiepoint = Doubles(tiff, entry, type, count, little); break;
                case GeoKeyDirectory: keys = Shorts(tiff, entry, type, count, little); break;
            }
        }
        if (width <= 0 || height <= 0 || scale is not { Length: >= 2 } || tiepoint is not { Length: >= 6 } || keys is null) return null;
        if (ProjectedCrs(keys) is not { } epsg || UtmZone.FromEpsg(epsg) is null) return null;
        if (!(scale[0] > 0 && scale[1] > 0)) return null;

        double ulx = tiepoint[3] - tiepoint[0] * scale[0], uly = tiepoint[4] + tiepoint[1] * scale[1];
        return GeoFootprint.FromUtm(epsg, ulx, uly, ulx + width * scale[0], uly - height * scale[1]);
    }

    // The key directory: a header (version, revision, minor, count) then (key, location, count, value) per key;
    // location 0 means the value is the short itself.
    private static int? ProjectedCrs(int[] keys)
    {
        if (keys.Length < 4) return null;
        for (int k = 0; k < keys[3] && 4 + 4 * k + 3 < keys.Length; k++)
        {
            int at = 4 + 4 * k;
            if (keys[at] == ProjectedCsTypeKey && keys[at + 1] == 0) return keys[at + 3];
        }
        return null;
    }

    private static long Scalar(ReadOnlySpan<byte> tiff, int entry, int type, bool little) => type switch
    {
        3 => U16(tiff, entry + 8, little),
        4 => U32(tiff, entry + 8, little),
        _ => 0,
    };

    private static double[]? Doubles(ReadOnlySpan<byte> tiff, int entry, int type, long count, bool little)
    {
        if (type != 12 || count is < 1 or > 64) return null;
        long offset = U32(tiff, entry + 8, little);
        if (offset + 8 * count > tiff.Length) return null;
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            var bytes = tiff.Slice((int)offset + 8 * i, 8);
            values[i] = little ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : BinaryPrimitives.ReadDoubleBigEndian(bytes);
        }
        return values;
    }

    private static int[]? Shorts(ReadOnlySpan<byte> tiff, int entry, int type, long count, bool little)
    {
        if (type != 3 || count is < 4 or > 4096) return null;
        long offset = count <= 2 ? entry + 8 : U32(tiff, entry + 8, little);
        if (offset + 2 * count > tiff.Length) return null;
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = U16(tiff, (int)offset + 2 * i, little);
        return values;
    }

    private static int U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    private static long U32(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt32BigEndian(b[at..]);
}
