using BitEarth.Core.Geo;
using BitEarth.Core.Patches;
using BitEarth.Core.Tests.Patches;

namespace BitEarth.Core.Tests.Geo;

/// <summary>Footprints, tiles and dates of the real patches in ../shared/data, as the readers give them.</summary>
public class FootprintTests
{
    [Fact]
    public void EuroSat_footprint_comes_from_its_GeoTIFF_tags()
    {
        var patch = EuroSatReader.ReadFile(Path.Combine(SharedData.EuroSat, "Forest", "Forest_3.tif"));
        var footprint = patch.Footprint!;
        Assert.Equal(32634, footprint.SourceEpsg);
        // Upper left = the tiepoint (729841.75, 4697505.87), PROJ: 23.792548332, 42.395842915.
        Assert.Equal(23.792548332, footprint.Corners[0].Lon, 1e-7);
        Assert.Equal(42.395842915, footprint.Corners[0].Lat, 1e-7);
        // 64 pixels of about 10 m: the lower right is ~640 m east and south.
        var (e, n) = new UtmZone(34, true).FromGeographic(footprint.Corners[2]);
        Assert.Equal(729841.75 + 64 * 10.000789710433242, e, 1e-3);
        Assert.Equal(4697505.872781475 - 64 * 10.003352216539392, n, 1e-3);
        Assert.Null(patch.Tile);
        Assert.Null(patch.AcquiredAt);
    }

    [Fact]
    public void BigEarthNet_v1_footprint_tile_and_date_come_from_its_metadata_and_agree_with_its_band_tags()
    {
        foreach (var folder in SharedData.Folders(SharedData.V1S2).Concat(SharedData.Folders(SharedData.V1S1)))
        {
            var patch = BigEarthNetReader.ReadFolder(folder);
            Assert.NotNull(patch.Footprint);
            Assert.NotNull(patch.AcquiredAt);
            Assert.Matches("^[0-9]{2}[C-X][A-Z]{2}$", patch.Tile);
            var band = Directory.GetFiles(folder, patch.Modality == Modality.S1 ? "*_VV.tif" : "*_B02.tif").Single();
            var fromTags = GeoTiffGeoreference.Footprint(File.ReadAllBytes(band))!;
            foreach (var (a, b) in patch.Footprint.Corners.Zip(fromTags.Corners))
            {
                Assert.Equal(a.Lon, b.Lon, 1e-9);
                Assert.Equal(a.Lat, b.Lat, 1e-9);
            }
        }
    }

    [Fact]
    public void BigEarthNet_v1_S2_corner_matches_proj()
    {
        var patch = BigEarthNetReader.ReadFolder(Path.Combine(SharedData.V1S2, "S2A_MSIL2A_20170613T101031_87_48"));
        // Metadata: ulx 404400, uly 5342400 in EPSG:32633; PROJ: 13.712736852, 48.227613367.
        Assert.Equal(13.712736852, patch.Footprint!.Corners[0].Lon, 1e-7);
        Assert.Equal(48.227613367, patch.Footprint.Corners[0].Lat, 1e-7);
        Assert.Equal("33UUP", patch.Tile);
        Assert.Equal(new DateTimeOffset(2017, 6, 13, 10, 10, 31, TimeSpan.Zero), patch.AcquiredAt);
    }

    [Fact]
    public void BigEarthNet_v2_has_no_metadata_so_footprint_comes_from_tags_and_date_and_tile_from_the_name()
    {
        var folders = Directory.EnumerateDirectories(SharedData.V2, "*", SearchOption.AllDirectories).Where(PatchFolder.IsPatchFolder).ToList();
        Assert.NotEmpty(folders);
        foreach (var folder in folders)
        {
            var patch = BigEarthNetReader.ReadFolder(folder);
            Assert.NotNull(patch.Footprint);
            Assert.NotNull(patch.AcquiredAt);
        }
    }

    [Theory]
    [InlineData("S2A_MSIL2A_20170924T93020_69_24", 2017, 9, 24, 9, 30, 20)] // the hour without its leading zero
    [InlineData("S1A_IW_GRDH_1SDV_20170613T165043_33UUP_61_39", 2017, 6, 13, 16, 50, 43)]
    public void Names_give_the_acquisition_start(string name, int y, int mo, int d, int h, int mi, int s) =>
        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero), SentinelNames.AcquiredAt(name));

    [Theory]
    [InlineData("S1A_IW_GRDH_1SDV_20170613T165043_33UUP_61_39", "33UUP")]
    [InlineData("S2A_MSIL1C_20170613T101031_N0205_R022_T33UUP_20170613T101608.SAFE", "33UUP")]
    [InlineData("S2A_MSIL2A_20170613T101031_87_48", null)]
    [InlineData("Forest_3", null)]
    public void Names_give_the_tile(string name, string? tile) => Assert.Equal(tile, SentinelNames.Tile(name));

    [Fact]
    public void A_tiff_without_geotiff_tags_has_no_footprint()
    {
        Assert.Null(GeoTiffGeoreference.Footprint([0x49, 0x49, 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.Null(GeoTiffGeoreference.Footprint([1, 2, 3]));
    }
}
