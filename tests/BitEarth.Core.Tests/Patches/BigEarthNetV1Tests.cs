using System.Globalization;
using System.Text.Json;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Patches;

public class BigEarthNetV1Tests
{
    public static TheoryData<string> S2Patches => new(SharedData.Folders(SharedData.V1S2).Select(Path.GetFileName)!);
    public static TheoryData<string> S1Patches => new(SharedData.Folders(SharedData.V1S1).Select(Path.GetFileName)!);

    [Fact]
    public void Sample_data_has_all_patches() =>
        Assert.Equal((14, 9), (S2Patches.Count, S1Patches.Count));

    [Theory, MemberData(nameof(S2Patches))]
    public void S2_folder_reads_on_the_120_grid_with_its_labels_and_date(string patch)
    {
        var folder = Path.Combine(SharedData.V1S2, patch);
        var json = Json(folder, patch);

        var read = BigEarthNetReader.ReadFolder(folder);

        Assert.Equal(patch, read.Id);
        Assert.Equal(Modality.S2, read.Modality);
        Assert.Equal(Bands.S2, read.BandNames);
        Assert.Equal((120, 120, 12 * 120 * 120), (read.Width, read.Height, read.Pixels.Length));
        Assert.Equal(json.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!), read.Labels);
        Assert.Equal(DateTimeOffset.Parse(json.GetProperty("acquisition_date").GetString()! + "Z", CultureInfo.InvariantCulture), read.AcquiredAt);
        Assert.Null(read.PairedId);
        Assert.All(read.Pixels, v => Assert.InRange(v, 0, 65535));
        Assert.True(read.Band(Bands.S2.ToList().IndexOf("B08")).ToArray().Average() > 100, "NIR band is not empty");
    }

    [Theory, MemberData(nameof(S2Patches))]
    public void Coarse_bands_are_replicated_over_their_footprint(string patch)
    {
        var read = BigEarthNetReader.ReadFolder(Path.Combine(SharedData.V1S2, patch));
        Assert.True(IsBlocky(read, "B01", 6) && IsBlocky(read, "B09", 6), "60 m bands form 6x6 blocks");
        Assert.True(IsBlocky(read, "B05", 2) && IsBlocky(read, "B12", 2), "20 m bands form 2x2 blocks");
        Assert.False(IsBlocky(read, "B02", 2), "10 m bands keep full detail");
    }

    [Theory, MemberData(nameof(S1Patches))]
    public void S1_folder_reads_backscatter_in_dB_with_pair_and_date(string patch)
    {
        var folder = Path.Combine(SharedData.V1S1, patch);
        var json = Json(folder, patch);

        var read = BigEarthNetReader.ReadFolder(folder);

        Assert.Equal(patch, read.Id);
        Assert.Equal(Modality.S1, read.Modality);
        Assert.Equal(Bands.S1, read.BandNames);
        Assert.Equal((120, 120), (read.Width, read.Height));
        Assert.Equal(json.GetProperty("corresponding_s2_patch").GetString(), read.PairedId);
        Assert.Equal(DateTimeOffset.Parse(json.GetProperty("acquisition_time").GetString()! + "Z", CultureInfo.InvariantCulture), read.AcquiredAt);
        Assert.NotEmpty(read.Labels);
        Assert.All(read.Pixels, v => Assert.InRange(v, -60f, 40f));
        Assert.True(read.Band(0).ToArray().Average() > read.Band(1).ToArray().Average(), "VV is brighter than VH on land");
    }

    [Fact]
    public void Six_S1_patches_pair_with_S2_patches_in_the_sample_including_one_without_hour_leading_zero()
    {
        var s2 = SharedData.Folders(SharedData.V1S2).Select(Path.GetFileName).ToHashSet();
        var paired = SharedData.Folders(SharedData.V1S1).Select(BigEarthNetReader.ReadFolder)
            .Where(p => s2.Contains(p.PairedId!)).ToList();
        Assert.Equal(6, paired.Count);
        Assert.Contains(paired, p => p.PairedId == "S2B_MSIL2A_20170924T93020_69_24");
    }

    [Fact]
    public void S1_metadata_with_lly_gives_the_same_bounds_as_S2_with_lry()
    {
        const string s2 = "S2A_MSIL2A_20170613T101031_87_48", s1 = "S1A_IW_GRDH_1SDV_20170613T165043_33UUP_87_48";
        var s2Meta = Metadata(Path.Combine(SharedData.V1S2, s2), s2);
        var s1Meta = Metadata(Path.Combine(SharedData.V1S1, s1), s1);
        Assert.Equal(new UtmBounds(404400, 5342400, 405600, 5341200), s2Meta.Bounds);
        Assert.Equal(s2Meta.Bounds, s1Meta.Bounds);
        Assert.Equal(s2Meta.Labels, s1Meta.Labels);
    }

    private static BigEarthNetMetadata Metadata(string folder, string patch)
    {
        var file = Path.Combine(folder, patch + BigEarthNetMetadata.FileSuffix);
        return BigEarthNetMetadata.Parse(file, File.ReadAllBytes(file));
    }

    private static JsonElement Json(string folder, string patch) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, patch + BigEarthNetMetadata.FileSuffix))).RootElement;

    private static bool IsBlocky(Patch patch, string band, int block)
    {
        var pixels = patch.Band(Bands.S2.ToList().IndexOf(band));
        for (int y = 0; y < patch.Height; y++)
            for (int x = 0; x < patch.Width; x++)
                if (pixels[y * patch.Width + x] != pixels[y / block * block * patch.Width + x / block * block])
                    return false;
        return true;
    }
}
