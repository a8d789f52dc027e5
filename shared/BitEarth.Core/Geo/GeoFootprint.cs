using System.Text.Json.Serialization;

namespace BitEarth.Core.Geo;

/// <summary>
/// Where a patch lies on the ground: its four corners (upper left, upper right, lower right, lower left) reprojected
/// from the patch's own grid (<see cref="SourceEpsg"/>, a UTM zone for Sentinel data) to WGS84. A UTM square is not a
/// WGS84 rectangle, so the corners are kept, and <see cref="Bounds"/> is the box around them.
/// </summary>
public sealed record GeoFootprint(IReadOnlyList<GeoPoint> Corners, int SourceEpsg)
{
    [JsonIgnore]
    public GeoBox Bounds => GeoBox.Around(Corners);

    /// <summary>The footprint of a north-up grid rectangle given by its UTM corners in metres.</summary>
    public static GeoFootprint FromUtm(int epsg, double ulx, double uly, double lrx, double lry)
    {
        var zone = UtmZone.FromEpsg(epsg) ?? throw new ArgumentException($"EPSG:{epsg} is not a WGS84 UTM zone", nameof(epsg));
        return new GeoFootprint(
        [
            zone.ToGeographic(ulx, uly), zone.ToGeographic(lrx, uly), zone.ToGeographic(lrx, lry), zone.ToGeographic(ulx, lry),
        ], epsg);
    }

    /// <summary>The closed ring GeoJSON polygons want: the corners and the first again, as [lon, lat] pairs.</summary>
    public double[][][] ToPolygonCoordinates() =>
        [[.. Corners.Select(c => new[] { c.Lon, c.Lat }), [Corners[0].Lon, Corners[0].Lat]]];
}
