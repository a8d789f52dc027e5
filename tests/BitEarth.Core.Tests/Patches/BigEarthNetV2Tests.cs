using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Patches;

public class BigEarthNetV2Tests
{
    private const string Tile = "S2A_MSIL2A_20170613T101031_N9999_R022_T33UUP";
    private const string S2Patch = Tile + "_75_43";
    private const string S1Patch = "S1A_IW_GRDH_1SDV_20170613T165043_33UUP_70_48";
    private const string MappedPatch = Tile + "_26_57";

    [Fact]
    public void S2_patch_reads_and_has_no_labels_without_a_reference_map()
    {
        var read = BigEarthNetReader.ReadFolder(Path.Combine(SharedData.V2, "BigEarthNet-S2", Tile, S2Patch));
        Assert.Equal((S2Patch, Modality.S2, 120, 120), (read.Id, read.Modality, read.Width, read.Height));
        Assert.Equal(Bands.S2, read.BandNames);
        Assert.Empty(read.Labels);
        Assert.True(read.Pixels.Average() > 100);
    }

    [Fact]
    public void S1_patch_reads_VV_VH()
    {
        var read = BigEarthNetReader.ReadFolder(Path.Combine(SharedData.V2, "BigEarthNet-S1", "S1A_IW_GRDH_1SDV_20170613T165043", S1Patch));
        Assert.Equal((S1Patch, Modality.S1), (read.Id, read.Modality));
        Assert.Equal(Bands.S1, read.BandNames);
        Assert.All(read.Pixels, v => Assert.InRange(v, -60f, 40f));
    }

    [Fact]
    public void Reference_map_gives_the_43_class_names_of_its_CLC_codes()
    {
        var file = Path.Combine(SharedData.V2, "Reference_Maps", Tile, MappedPatch, MappedPatch + ReferenceMap.FileSuffix);
        Assert.Equal(["Non-irrigated arable land", "Pastures", "Broad-leaved forest", "Mixed forest"],
            ReferenceMap.Labels(file, File.ReadAllBytes(file), 120, 120));
    }

    [Fact]
    public void Zip_with_a_reference_map_takes_its_labels()
    {
        var s2 = Path.Combine(SharedData.V2, "BigEarthNet-S2", Tile, S2Patch);
        var map = Path.Combine(SharedData.V2, "Reference_Maps", Tile, MappedPatch, MappedPatch + ReferenceMap.FileSuffix);
        var entries = Zips.FolderEntries(s2);
        entries.Add(($"{S2Patch}/{S2Patch}{ReferenceMap.FileSuffix}", File.ReadAllBytes(map)));

        var read = PatchBlobReader.Read("bigearthnet/S2/x.zip", new MemoryStream(Zips.Of(entries)));

        Assert.Equal(4, read.Labels.Count);
    }

    [Fact]
    public void Archive_folder_finds_both_v2_patches()
    {
        var names = ArchiveFolder.Enumerate(SharedData.V2).Select(b => b.Name).ToList();
        Assert.Equal([$"bigearthnet/S1/{S1Patch}.zip", $"bigearthnet/S2/{S2Patch}.zip"], names);
    }
}
