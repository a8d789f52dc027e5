using System.Text;
using BitEarth.Core.Patches;
using Parquet.Serialization;

namespace BitEarth.Core.Tests.Patches;

/// <summary>
/// v2's metadata.parquet as the source of 19-class labels, on a temp copy of the v2 sample whose S2 patch gets a
/// reference map (the sample's other one) and a parquet row with labels the fold of that map cannot give.
/// </summary>
public sealed class BigEarthNetV2MetadataTests : IDisposable
{
    private const string Tile = "S2A_MSIL2A_20170613T101031_N9999_R022_T33UUP";
    private const string S2Patch = Tile + "_75_43";
    private const string MappedPatch = Tile + "_26_57";
    private const string S1Scene = "S1A_IW_GRDH_1SDV_20170613T165043";
    private const string S1Patch = S1Scene + "_33UUP_70_48";

    // The reference map folds to Arable land, Pastures, Broad-leaved forest, Mixed forest: these share none of them.
    private static readonly string[] ParquetLabels = ["Coniferous forest", "Inland waters"];

    private readonly string root = Directory.CreateTempSubdirectory("bitearth-v2-parquet-").FullName;

    public BigEarthNetV2MetadataTests() => CopySampleWithMap(root);

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string S2Folder => Path.Combine(root, "BigEarthNet-S2", Tile, S2Patch);

    private string ParquetPath => Path.Combine(root, BigEarthNetV2Metadata.FileName);

    [Fact]
    public async Task Read_folder_takes_the_19_class_labels_from_the_parquet_and_the_43_from_the_reference_map()
    {
        await WriteParquetAsync(ParquetPath, [new() { patch_id = S2Patch, labels = [.. ParquetLabels] }]);

        var patch = BigEarthNetReader.ReadFolder(S2Folder);

        Assert.Equal(["Non-irrigated arable land", "Pastures", "Broad-leaved forest", "Mixed forest"], patch.Labels);
        Assert.Equal(ParquetLabels, patch.Labels19);
        Assert.Equal(ParquetLabels, LandCoverClasses.ForScoring(patch));
    }

    [Fact]
    public async Task A_patch_the_parquet_does_not_list_keeps_the_folded_labels()
    {
        await WriteParquetAsync(ParquetPath, [new() { patch_id = MappedPatch, labels = [.. ParquetLabels] }]);

        var patch = BigEarthNetReader.ReadFolder(S2Folder);

        Assert.Null(patch.Labels19);
        Assert.Equal(["Arable land", "Pastures", "Broad-leaved forest", "Mixed forest"], LandCoverClasses.ForScoring(patch));
    }

    [Fact]
    public async Task Archive_zip_carries_the_parquet_labels_through_the_blob_reader()
    {
        await WriteParquetAsync(ParquetPath, [new() { patch_id = S2Patch, labels = [.. ParquetLabels] }]);

        var blob = Assert.Single(ArchiveFolder.Enumerate(root), b => b.Name == $"bigearthnet/S2/{S2Patch}.zip");
        var patch = PatchBlobReader.Read(blob.Name, new MemoryStream(blob.Content));

        Assert.Equal(4, patch.Labels.Count);
        Assert.Equal(ParquetLabels, patch.Labels19);
        var s1 = Assert.Single(ArchiveFolder.Enumerate(root), b => b.Name.StartsWith("bigearthnet/S1/", StringComparison.Ordinal));
        Assert.Null(PatchBlobReader.Read(s1.Name, new MemoryStream(s1.Content)).Labels19);
    }

    [Fact]
    public async Task The_s1_patch_named_by_s1_name_carries_its_s2_patchs_labels()
    {
        await ParquetSerializer.SerializeAsync([new RowWithS1 { patch_id = S2Patch, labels = [.. ParquetLabels], s1_name = S1Patch }], ParquetPath);

        var s1 = Assert.Single(ArchiveFolder.Enumerate(root), b => b.Name == $"bigearthnet/S1/{S1Patch}.zip");
        Assert.Equal(ParquetLabels, PatchBlobReader.Read(s1.Name, new MemoryStream(s1.Content)).Labels19);
        Assert.Equal(ParquetLabels, BigEarthNetReader.ReadFolder(Path.Combine(root, "BigEarthNet-S1", S1Scene, S1Patch)).Labels19);
    }

    [Fact]
    public async Task A_label_outside_the_19_classes_names_the_file_and_row()
    {
        await WriteParquetAsync(ParquetPath,
        [
            new() { patch_id = MappedPatch, labels = ["Pastures"] },
            new() { patch_id = S2Patch, labels = ["Pastures", "Mixed forests"] },
        ]);

        var e = Assert.Throws<PatchFormatException>(() => BigEarthNetReader.ReadFolder(S2Folder));

        Assert.Equal(ParquetPath, e.File);
        Assert.Equal($"row 1 ({S2Patch}): label 'Mixed forests' is not one of the 19 class names", e.Reason);
    }

    [Fact]
    public async Task A_parquet_without_a_labels_column_is_refused_naming_the_columns()
    {
        await ParquetSerializer.SerializeAsync([new IdOnly { patch_id = S2Patch, split = "train" }], ParquetPath);

        var e = Assert.Throws<PatchFormatException>(() => BigEarthNetV2Metadata.ReadRoot(root));

        Assert.Equal(ParquetPath, e.File);
        Assert.Equal("no 'labels' column (columns: patch_id, split)", e.Reason);
    }

    [Fact]
    public void A_file_that_is_not_parquet_is_refused()
    {
        File.WriteAllText(ParquetPath, "patch_id,labels\n");

        var e = Assert.Throws<PatchFormatException>(() => BigEarthNetV2Metadata.ReadRoot(root));

        Assert.Equal(ParquetPath, e.File);
        Assert.StartsWith("not a readable parquet", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_labels19_entry_with_a_foreign_label_is_refused_by_the_blob_reader()
    {
        var entries = Zips.FolderEntries(S2Folder);
        entries.Add(($"{S2Patch}/{S2Patch}{BigEarthNetV2Metadata.EntrySuffix}", Encoding.UTF8.GetBytes("""{"labels19": ["Forest"]}""")));

        var e = Assert.Throws<PatchFormatException>(() => PatchBlobReader.Read("bigearthnet/S2/x.zip", new MemoryStream(Zips.Of(entries))));

        Assert.Equal($"bigearthnet/S2/x.zip/{S2Patch}{BigEarthNetV2Metadata.EntrySuffix}", e.File);
        Assert.Equal("label 'Forest' is not one of the 19 class names", e.Reason);
    }

    /// <summary>Copies the v2 sample and gives its S2 patch the sample's reference map, so it has 43-class labels.</summary>
    private static void CopySampleWithMap(string target)
    {
        foreach (var file in Directory.EnumerateFiles(SharedData.V2, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(SharedData.V2, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var map = Path.Combine(SharedData.V2, "Reference_Maps", Tile, MappedPatch, MappedPatch + ReferenceMap.FileSuffix);
        var s2Map = Path.Combine(target, "Reference_Maps", Tile, S2Patch, S2Patch + ReferenceMap.FileSuffix);
        Directory.CreateDirectory(Path.GetDirectoryName(s2Map)!);
        File.Copy(map, s2Map);
    }

    private static async Task WriteParquetAsync(string path, IReadOnlyList<Row> rows) => await ParquetSerializer.SerializeAsync(rows, path);

#pragma warning disable IDE1006, CA1707 // named as reBEN's parquet columns
    private sealed class Row
    {
        public string? patch_id { get; set; }
        public List<string>? labels { get; set; }
        public string split { get; set; } = "train";
        public string country { get; set; } = "Austria";
    }

    private sealed class RowWithS1
    {
        public string? patch_id { get; set; }
        public List<string>? labels { get; set; }
        public string? s1_name { get; set; }
    }

    private sealed class IdOnly
    {
        public string? patch_id { get; set; }
        public string? split { get; set; }
    }
#pragma warning restore IDE1006, CA1707
}
