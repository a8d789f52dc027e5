using System.Globalization;
using BitEarth.Core.Geo;

namespace BitEarth.Core.Change;

/// <summary>
/// Which place a patch shows: its footprint's corners rounded to 1e-5 degrees (about a metre), so two acquisitions of
/// one BigEarthNet cell (the same UTM corners, reprojected by the same code) get the same key and neighbouring cells,
/// 1.2 km apart, never do.
/// </summary>
public static class PlaceKey
{
    public static string? Of(GeoFootprint? footprint) => footprint is null ? null
        : string.Join(';', footprint.Corners.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Lon:F5},{c.Lat:F5}")));
}
