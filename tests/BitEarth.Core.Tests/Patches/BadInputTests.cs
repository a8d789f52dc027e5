using System.IO.Compression;
using System.Text;
using BitEarth.Core.Patches;
using BitEarth.Core.Synthetic;

namespace BitEarth.Core.Tests.Patches;

public class BadInputTests
{
    private const string S2 = "S2A_MSIL2A_20170613T101031_87_48";
    private const string S1 = "S1A_IW_GRDH_1SDV_20170613T165043_33UUP_87_48";
    private static readonly string S2Folder = Path.Combine(SharedData.V1S2, S2);
    private static readonly string S1Folder = Path.Combine(SharedData.V1S1, S1);
    private static readonly string EuroSatFile = Path.Combine(SharedData.EuroSat, "Forest", "Forest_3.tif");

    public static TheoryData<string> S2Bands => new(Bands.S2);

    [Theory, MemberData(nameof(S2Bands))]
    public void Truncated_band_tif_names_that_band(string band)
    {
        var entries = Replace(S2Folder, band, bytes => bytes[..(bytes.Length / 2)]);
        var error = ReadZipFails(entries);
        Assert.EndsWith($"{S2}_{band}.tif", error.File);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(200)]
    [InlineData(60000)]
    [InlineData(107243)]
    public void Truncated_EuroSat_tif_names_the_blob(int length)
    {
        var bytes = File.ReadAllBytes(EuroSatFile)[..length];
        var error = Assert.Throws<PatchFormatException>(() => PatchBlobReader.Read("eurosat/Forest/Forest_3.tif", new MemoryStream(bytes)));
        Assert.Equal("eurosat/Forest/Forest_3.tif", error.File);
    }

    [Fact]
    public void Flipped_bytes_give_a_patch_or_a_PatchFormatException_and_never_anything_else()
    {
        var original = File.ReadAllBytes(EuroSatFile);
        var random = new Random(11);
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++)
        {
            var bytes = (byte[])original.Clone();
            // Flip bytes in the header and directory regions, where damage changes the file's structure.
            for (int f = 0; f < 1 + trial % 4; f++)
            {
                int at = random.Next(2) == 0 ? random.Next(512) : bytes.Length - 1 - random.Next(1024);
                bytes[at] ^= (byte)random.Next(1, 256);
            }
            try { PatchBlobReader.Read("eurosat/Forest/Forest_3.tif", new MemoryStream(bytes)); }
            catch (PatchFormatException e) when (e.File == "eurosat/Forest/Forest_3.tif") { rejected++; }
        }
        Assert.True(rejected > 50, $"only {rejected} of 400 damaged files were rejected");
    }

    [Fact]
    public void Missing_band_is_a_wrong_band_set()
    {
        var entries = Zips.FolderEntries(S2Folder).Where(e => !e.Name.EndsWith("_B05.tif", StringComparison.Ordinal)).ToList();
        Assert.Contains("missing [B05]", ReadZipFails(entries).Reason);
    }

    [Fact]
    public void Extra_B10_names_the_B10_file()
    {
        var entries = Zips.FolderEntries(S2Folder);
        entries.Add(($"{S2}/{S2}_B10.tif", File.ReadAllBytes(Path.Combine(S2Folder, $"{S2}_B09.tif"))));
        var error = ReadZipFails(entries);
        Assert.EndsWith($"{S2}_B10.tif", error.File);
        Assert.Contains("unexpected [B10]", error.Reason);
    }

    [Fact]
    public void S1_band_in_an_S2_set_is_a_wrong_band_set()
    {
        var entries = Zips.FolderEntries(S2Folder);
        entries.Add(($"{S2}/{S2}_VV.tif", File.ReadAllBytes(Path.Combine(S1Folder, $"{S1}_VV.tif"))));
        Assert.Contains("unexpected [VV]", ReadZipFails(entries).Reason);
    }

    [Fact]
    public void Band_at_the_wrong_size_names_the_band()
    {
        var b05 = File.ReadAllBytes(Path.Combine(S2Folder, $"{S2}_B05.tif"));
        var error = ReadZipFails(Replace(S2Folder, "B02", _ => b05));
        Assert.EndsWith($"{S2}_B02.tif", error.File);
        Assert.Contains("size 60x60", error.Reason);
    }

    [Fact]
    public void BigEarthNet_band_posted_as_EuroSat_is_rejected_for_its_band_count()
    {
        var b02 = File.ReadAllBytes(Path.Combine(S2Folder, $"{S2}_B02.tif"));
        var error = Assert.Throws<PatchFormatException>(() => PatchBlobReader.Read("eurosat/Forest/x.tif", new MemoryStream(b02)));
        Assert.Contains("expected 64x64x13", error.Reason);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_backscatter_names_the_band(float bad)
    {
        var vv = BigEarthNetReader.ReadFolder(S1Folder).Band(0).ToArray();
        vv[7 * 120 + 3] = bad;
        var error = ReadZipFails(Replace(S1Folder, "VV", _ => BandTiffWriter.Backscatter(120, 120, vv)));
        Assert.EndsWith($"{S1}_VV.tif", error.File);
        Assert.Contains("non-finite", error.Reason);
    }

    [Fact]
    public void Unknown_BigEarthNet_label_names_the_metadata_file()
    {
        var json = Path.Combine(S2Folder, S2 + BigEarthNetMetadata.FileSuffix);
        var text = File.ReadAllText(json).Replace("Non-irrigated arable land", "Moon dust");
        var entries = Zips.FolderEntries(S2Folder)
            .Select(e => e.Name.EndsWith(".json", StringComparison.Ordinal) ? (e.Name, Encoding.UTF8.GetBytes(text)) : e).ToList();
        var error = ReadZipFails(entries);
        Assert.EndsWith(BigEarthNetMetadata.FileSuffix, error.File);
        Assert.Contains("Moon dust", error.Reason);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"labels\": 3}")]
    [InlineData("{\"labels\": [1]}")]
    [InlineData("{\"labels\": [], \"acquisition_date\": \"yesterday\"}")]
    public void Malformed_metadata_names_the_metadata_file(string json)
    {
        var entries = Zips.FolderEntries(S2Folder)
            .Select(e => e.Name.EndsWith(".json", StringComparison.Ordinal) ? (e.Name, Encoding.UTF8.GetBytes(json)) : e).ToList();
        Assert.EndsWith(BigEarthNetMetadata.FileSuffix, ReadZipFails(entries).File);
    }

    [Fact]
    public void Unknown_EuroSat_class_is_rejected()
    {
        var error = Assert.Throws<PatchFormatException>(() =>
            PatchBlobReader.Read("eurosat/Desert/Desert_1.tif", new MemoryStream(File.ReadAllBytes(EuroSatFile))));
        Assert.Contains("Desert", error.Reason);
    }

    [Fact]
    public void Zip_bomb_over_the_cap_is_rejected_without_inflating_it()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var stream = zip.CreateEntry($"{S2}/{S2}_B02.tif", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 65; i++)
                stream.Write(zeros);
        }
        Assert.True(buffer.Length < 1 << 20, "the bomb is small on the wire");
        var error = Assert.Throws<PatchFormatException>(() => PatchBlobReader.Read("bomb.zip", new MemoryStream(buffer.ToArray())));
        Assert.Contains("exceeds", error.Reason);
    }

    [Fact]
    public void Zip_with_too_many_entries_is_rejected() =>
        Assert.Contains("zip entries", ReadZipFails(Enumerable.Range(0, 100).Select(i => ($"f{i}.txt", new byte[1]))).Reason);

    [Theory]
    [InlineData("not a zip at all")]
    [InlineData("PK\u0003\u0004 truncated local header")]
    public void Corrupt_zip_names_the_blob(string content)
    {
        var error = Assert.Throws<PatchFormatException>(() =>
            PatchBlobReader.Read("bigearthnet/S2/x.zip", new MemoryStream(Encoding.ASCII.GetBytes(content))));
        Assert.Equal("bigearthnet/S2/x.zip", error.File);
    }

    [Fact]
    public void Damaged_zip_of_a_real_patch_never_escapes_as_another_exception()
    {
        var original = Zips.Of(Zips.FolderEntries(S1Folder));
        var random = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            var bytes = (byte[])original.Clone();
            bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
            bytes = trial % 3 == 0 ? bytes[..random.Next(bytes.Length)] : bytes;
            try { PatchBlobReader.Read("bigearthnet/S1/x.zip", new MemoryStream(bytes)); }
            catch (PatchFormatException) { }
        }
    }

    [Fact]
    public void Files_of_two_patches_or_two_folders_are_rejected()
    {
        var other = Path.Combine(SharedData.V1S2, "S2A_MSIL2A_20170617T113321_4_55");
        var mixed = Zips.FolderEntries(S2Folder).Where(e => !e.Name.EndsWith("_B02.tif", StringComparison.Ordinal))
            .Concat(Zips.FolderEntries(other).Where(e => e.Name.EndsWith("_B02.tif", StringComparison.Ordinal)));
        Assert.Contains("more than one folder", ReadZipFails(mixed).Reason);

        var renamed = Zips.FolderEntries(S2Folder).Select(e => (e.Name.Replace($"{S2}/", "other/"), e.Data));
        Assert.Contains("folder 'other'", ReadZipFails(renamed).Reason);
    }

    [Fact]
    public void Backslash_entries_are_read_as_folders_and_give_the_plain_patch_id()
    {
        var entries = Zips.FolderEntries(S2Folder).Select(e => (e.Name.Replace('/', '\\'), e.Data));

        Assert.Equal(S2, PatchBlobReader.Read("bigearthnet/S2/x.zip", new MemoryStream(Zips.Of(entries))).Id);
    }

    [Theory]
    [InlineData("..\\..\\")]
    [InlineData("../../")]
    [InlineData("./")]
    [InlineData("/")]
    [InlineData("\\")]
    public void Entries_with_relative_or_absolute_paths_are_rejected(string prefix)
    {
        var entries = Zips.FolderEntries(S2Folder).Select(e => (prefix + Path.GetFileName(e.Name), e.Data));

        var error = ReadZipFails(entries);

        Assert.Matches("entry path (is absolute|has a '\\.\\.?' segment)", error.Reason);
    }

    [Fact]
    public void A_patch_id_with_a_control_character_is_rejected()
    {
        var entries = Zips.FolderEntries(S2Folder).Select(e => (Path.GetFileName(e.Name).Replace(S2, S2 + "\t"), e.Data));

        Assert.Contains("control character", ReadZipFails(entries).Reason);
    }

    [Theory]
    [InlineData("patch.png")]
    [InlineData("Forest_3.tif")]
    public void Unsupported_names_are_rejected(string name) =>
        Assert.Equal(name, Assert.Throws<PatchFormatException>(() =>
            PatchBlobReader.Read(name, new MemoryStream(File.ReadAllBytes(EuroSatFile)))).File);

    private static List<(string Name, byte[] Data)> Replace(string folder, string band, Func<byte[], byte[]> change) =>
        Zips.FolderEntries(folder).Select(e => e.Name.EndsWith($"_{band}.tif", StringComparison.Ordinal) ? (e.Name, change(e.Data)) : e).ToList();

    private static PatchFormatException ReadZipFails(IEnumerable<(string Name, byte[] Data)> entries) =>
        Assert.Throws<PatchFormatException>(() => PatchBlobReader.Read("bigearthnet/test.zip", new MemoryStream(Zips.Of(entries))));
}
