using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Patches;

public class PatchBlobRoundTripTests
{
    [Fact]
    public void Every_sample_patch_reads_the_same_through_its_ingest_blob()
    {
        var blobs = ArchiveFolder.Enumerate(SharedData.Root).ToList();

        Assert.Equal(14 + 9 + 2 + 120, blobs.Count);
        Assert.Equal(blobs.Count, blobs.Select(b => b.Name).Distinct().Count());
        foreach (var blob in blobs)
        {
            var read = PatchBlobReader.Read(blob.Name, new MemoryStream(blob.Content));
            var direct = Direct(blob.Name);
            Assert.Equal(direct.Id, read.Id);
            Assert.Equal(direct.Modality, read.Modality);
            Assert.Equal(direct.Labels, read.Labels);
            Assert.Equal(direct.PairedId, read.PairedId);
            Assert.Equal(direct.AcquiredAt, read.AcquiredAt);
            Assert.Equal(direct.Pixels, read.Pixels);
        }
    }

    [Fact]
    public void Blob_names_say_source_modality_and_class()
    {
        var names = ArchiveFolder.Enumerate(SharedData.Root).Select(b => b.Name).ToList();
        Assert.Contains("bigearthnet/S2/S2B_MSIL2A_20170924T93020_69_24.zip", names);
        Assert.Contains("bigearthnet/S1/S1A_IW_GRDH_1SDV_20170613T165043_33UUP_87_48.zip", names);
        Assert.Contains("eurosat/Forest/Forest_3.tif", names);
    }

    [Fact]
    public void Zip_with_files_at_the_root_reads_like_one_with_a_folder()
    {
        var folder = Path.Combine(SharedData.V1S2, "S2A_MSIL2A_20170613T101031_87_48");
        var flat = Zips.Of(Directory.EnumerateFiles(folder).Select(f => (Path.GetFileName(f), File.ReadAllBytes(f))));

        var read = PatchBlobReader.Read("upload.zip", new MemoryStream(flat));

        Assert.Equal(BigEarthNetReader.ReadFolder(folder).Pixels, read.Pixels);
        Assert.Equal("S2A_MSIL2A_20170613T101031_87_48", read.Id);
    }

    [Fact]
    public void A_single_patch_folder_or_a_single_class_folder_is_an_archive_too()
    {
        Assert.Single(ArchiveFolder.Enumerate(Path.Combine(SharedData.V1S1, "S1A_IW_GRDH_1SDV_20170613T165043_33UUP_87_48")));
        Assert.Equal(12, ArchiveFolder.Enumerate(Path.Combine(SharedData.EuroSat, "River")).Count());
    }

    [Fact]
    public void Folder_without_patches_is_named_in_the_error()
    {
        var empty = Directory.CreateTempSubdirectory("bitearth-empty").FullName;
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => ArchiveFolder.Enumerate(empty));
            Assert.Contains(empty, error.Message);
            Assert.Throws<DirectoryNotFoundException>(() => ArchiveFolder.Enumerate(Path.Combine(empty, "missing")));
        }
        finally { Directory.Delete(empty, recursive: true); }
    }

    private static Patch Direct(string blobName)
    {
        var parts = blobName.Split('/');
        if (parts[0] == "eurosat")
            return EuroSatReader.ReadFile(Path.Combine(SharedData.EuroSat, parts[1], parts[2]));
        var patch = Path.GetFileNameWithoutExtension(parts[2]);
        var folder = Directory.EnumerateDirectories(SharedData.Root, patch, SearchOption.AllDirectories)
            .Single(f => !f.Contains("Reference_Maps"));
        return BigEarthNetReader.ReadFolder(folder);
    }
}
