using BitEarth.Core.Geo;

namespace BitEarth.Core.Tests.Geo;

/// <summary>
/// The UTM inverse against PROJ: every expected value below is what <c>cs2cs EPSG:326xx/327xx EPSG:4326</c> (PROJ 9,
/// Debian's proj-bin) printed for the same easting and northing. 1e-7 degrees is about 1 cm.
/// </summary>
public class UtmZoneTests
{
    [Theory]
    [InlineData(32633, 404400, 5342400, 13.712736852, 48.227613367)]   // a BigEarthNet v1 patch corner (metadata)
    [InlineData(32633, 405600, 5341200, 13.729158055, 48.216999571)]
    [InlineData(32633, 300000, 4500000, 12.635319213, 40.626639727)]   // 200 km off the central meridian
    [InlineData(32634, 729841.7500830976, 4697505.872781475, 23.792548332, 42.395842915)] // EuroSAT Forest_3's tiepoint
    [InlineData(32735, 300000, 7000000, 24.982494345, -27.107979524)]  // southern hemisphere
    [InlineData(32735, 700000, 9500000, 28.802626946, -4.521318308)]
    [InlineData(32601, 166021, 0, 179.999996024, 0)]                    // the equator, the antimeridian side of zone 1
    public void Inverse_matches_proj(int epsg, double easting, double northing, double lon, double lat)
    {
        var point = UtmZone.FromEpsg(epsg)!.Value.ToGeographic(easting, northing);
        Assert.Equal(lon, point.Lon, 1e-7);
        Assert.Equal(lat, point.Lat, 1e-7);
    }

    [Fact]
    public void Forward_and_inverse_round_trip_across_a_zone()
    {
        var zone = new UtmZone(33, North: true);
        for (double lat = 0.5; lat < 84; lat += 7.3)
            for (double lon = 12.1; lon < 18; lon += 1.1)
            {
                var (e, n) = zone.FromGeographic(new GeoPoint(lon, lat));
                var back = zone.ToGeographic(e, n);
                // Third-order series both ways: within 1e-8 degrees (about 1 mm).
                Assert.Equal(lon, back.Lon, 1e-8);
                Assert.Equal(lat, back.Lat, 1e-8);
            }
    }

    [Theory]
    [InlineData(4326)]
    [InlineData(32600)]
    [InlineData(32661)]
    [InlineData(3857)]
    public void Only_wgs84_utm_zones_are_zones(int epsg) => Assert.Null(UtmZone.FromEpsg(epsg));
}
