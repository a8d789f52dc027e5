using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.Core.Tests.Residency;

namespace BitEarth.Core.Tests.Ingest;

/// <summary>One cap, <see cref="PatchBlobReader.MaxBytes"/>, read once: over it a blob is quarantined whole and unparsed.</summary>
public sealed class BlobSizeCapTests : IDisposable
{
    private readonly EmbeddedArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task A_blob_over_the_cap_is_quarantined_whole_with_the_size_reason()
    {
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        var ingestor = new PatchIngestor(_archive.Blobs, _archive.Store, _archive.Encoders,
            new ResidentIndexCache(_archive.Store, _archive.Encoders, _archive.Options), _archive.Options);
        await _archive.Blobs.WriteAsync(Containers.Patches, "big/over.zip", new MemoryStream(new byte[PatchBlobReader.MaxBytes + 1]));

        var outcome = await ingestor.IngestAsync("big/over.zip");

        Assert.Equal(new IngestOutcome("big/over.zip", IngestStatus.Quarantined, Reason: "blob is larger than the 67108864-byte limit"), outcome);
        Assert.Null(await _archive.Blobs.OpenReadAsync(Containers.Patches, "big/over.zip"));
        await using var kept = await _archive.Blobs.OpenReadAsync(Containers.Quarantine, "big/over.zip");
        Assert.Equal(PatchBlobReader.MaxBytes + 1, kept!.Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_blob_under_the_cap_reads_as_it_is_whether_or_not_its_stream_knows_its_length(bool seekable)
    {
        var blob = SyntheticArchive.Generate(1, seed: 3).First();

        var bytes = await PatchBlobReader.ReadBlobAsync(seekable ? new MemoryStream(blob.Content) : new OneWay(blob.Content));

        Assert.Equal(blob.Content, bytes);
        Assert.Equal(PatchBlobReader.Read(blob.Name, blob.Content).Id, PatchBlobReader.Read(blob.Name, bytes!).Id);
    }

    [Fact]
    public async Task A_stream_without_a_length_is_cut_off_one_chunk_past_the_cap()
    {
        var content = new OneWay(new byte[PatchBlobReader.MaxBytes + 1]);

        Assert.Null(await PatchBlobReader.ReadBlobAsync(content));
        Assert.InRange(content.Position, PatchBlobReader.MaxBytes + 1, PatchBlobReader.MaxBytes + 81920);
    }

    /// <summary>A stream that can only be read forward, as a network body is.</summary>
    private sealed class OneWay(byte[] content) : MemoryStream(content, writable: false)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
