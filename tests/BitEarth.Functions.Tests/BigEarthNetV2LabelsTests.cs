using System.Net;
using BitEarth.Core.Patches;
using BitEarth.Local.Startup;
using Parquet.Serialization;

namespace BitEarth.Functions.Tests;

/// <summary>
/// A v2 archive seeded with <c>--archive</c> whose metadata.parquet lists a patch: GET api/patches/{id} shows the 43-class
/// labels of its reference map and the 19-class labels of the parquet, which the fold of those 43 cannot give.
/// </summary>
public sealed class BigEarthNetV2LabelsTests : IDisposable
{
    private const string Tile = "S2A_MSIL2A_20170613T101031_N9999_R022_T33UUP";
    private const string S2Patch = Tile + "_75_43";
    private const string MappedPatch = Tile + "_26_57";
    private const string S1Patch = "S1A_IW_GRDH_1SDV_20170613T165043_33UUP_70_48";

    private static readonly string Sample = Path.Combine(RepoPaths.SharedData, "bigearthnet-v2");

    private readonly string root = Directory.CreateTempSubdirectory("bitearth-v2-labels-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Get_patch_shows_the_reference_map_labels_and_the_parquet_labels19()
    {
        CopySampleWithMap();
        await ParquetSerializer.SerializeAsync([new Row { patch_id = S2Patch, labels = ["Coniferous forest", "Inland waters"] }],
            Path.Combine(root, BigEarthNetV2Metadata.FileName));

        await using var host = await LocalHostRunner.StartAsync("embedded", archive: root, defaultEncoder: DefaultEncoder.Lsh);
        var (status, body) = await host.GetJsonAsync($"/api/patches/{S2Patch}");
        var (s1Status, s1) = await host.GetJsonAsync($"/api/patches/{S1Patch}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["Non-irrigated arable land", "Pastures", "Broad-leaved forest", "Mixed forest"],
            body.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(["Coniferous forest", "Inland waters"], body.GetProperty("labels19").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(HttpStatusCode.OK, s1Status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, s1.GetProperty("labels19").ValueKind); // no labels, none to fold
    }

    // The sample's S2 patch gets the sample's one reference map, so it has 43-class labels.
    private void CopySampleWithMap()
    {
        foreach (var file in Directory.EnumerateFiles(Sample, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(root, Path.GetRelativePath(Sample, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var s2Map = Path.Combine(root, "Reference_Maps", Tile, S2Patch, S2Patch + ReferenceMap.FileSuffix);
        Directory.CreateDirectory(Path.GetDirectoryName(s2Map)!);
        File.Copy(Path.Combine(Sample, "Reference_Maps", Tile, MappedPatch, MappedPatch + ReferenceMap.FileSuffix), s2Map);
    }

#pragma warning disable IDE1006, CA1707 // named as reBEN's parquet columns
    private sealed class Row
    {
        public string? patch_id { get; set; }
        public List<string>? labels { get; set; }
    }
#pragma warning restore IDE1006, CA1707
}
