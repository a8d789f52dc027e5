using BitEarth.Core.Ingest;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Tests.Patches;
using BitEarth.Core.Tests.Residency;

namespace BitEarth.Core.Tests.Ingest;

/// <summary>A patch id belongs to one blob: a second blob with the same id is quarantined with the holder's name.</summary>
public sealed class PatchIdConflictTests : IDisposable
{
    private readonly EmbeddedArchive _archive = new();
    private readonly PatchIngestor _ingestor;
    private readonly byte[] _forest = File.ReadAllBytes(Path.Combine(SharedData.EuroSat, "Forest", "Forest_1.tif"));

    public PatchIdConflictTests()
    {
        _archive.Store.SetActiveEncoderAsync(_archive.Encoder).GetAwaiter().GetResult();
        _ingestor = new PatchIngestor(_archive.Blobs, _archive.Store, _archive.Encoders,
            new ResidentIndexCache(_archive.Store, _archive.Encoders, _archive.Options), _archive.Options);
    }

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task A_second_blob_with_an_existing_id_is_quarantined_and_the_first_keeps_its_labels()
    {
        await WriteAsync("eurosat/Forest/Forest_1.tif");
        await WriteAsync("eurosat/River/Forest_1.tif");

        Assert.Equal(IngestStatus.Indexed, (await _ingestor.IngestAsync("eurosat/Forest/Forest_1.tif")).Status);
        var second = await _ingestor.IngestAsync("eurosat/River/Forest_1.tif");

        Assert.Equal(IngestStatus.Quarantined, second.Status);
        Assert.Equal("patch id Forest_1 already indexed from blob eurosat/Forest/Forest_1.tif", second.Reason);
        var record = await _archive.Store.GetPatchAsync("Forest_1");
        Assert.Equal(["Forest"], record!.Labels);
        Assert.Equal("eurosat/Forest/Forest_1.tif", record.Blob);
        Assert.Null(await _archive.Blobs.OpenReadAsync(Containers.Patches, "eurosat/River/Forest_1.tif"));
        await using var kept = await _archive.Blobs.OpenReadAsync(Containers.Quarantine, "eurosat/River/Forest_1.tif");
        Assert.NotNull(kept);
    }

    [Fact]
    public async Task The_same_blob_redelivered_is_no_conflict()
    {
        await WriteAsync("eurosat/Forest/Forest_1.tif");

        Assert.Equal(IngestStatus.Indexed, (await _ingestor.IngestAsync("eurosat/Forest/Forest_1.tif")).Status);
        Assert.Equal(IngestStatus.Indexed, (await _ingestor.IngestAsync("eurosat/Forest/Forest_1.tif")).Status);
    }

    [Fact]
    public async Task An_id_whose_blob_left_the_patches_container_may_be_taken_over()
    {
        await WriteAsync("eurosat/Forest/Forest_1.tif");
        await _ingestor.IngestAsync("eurosat/Forest/Forest_1.tif");
        await _archive.Blobs.DeleteAsync(Containers.Patches, "eurosat/Forest/Forest_1.tif");
        await WriteAsync("eurosat/River/Forest_1.tif");

        Assert.Equal(IngestStatus.Indexed, (await _ingestor.IngestAsync("eurosat/River/Forest_1.tif")).Status);
        Assert.Equal("eurosat/River/Forest_1.tif", (await _archive.Store.GetPatchAsync("Forest_1"))!.Blob);
    }

    private Task WriteAsync(string blob) => _archive.Blobs.WriteAsync(Containers.Patches, blob, new MemoryStream(_forest));
}
