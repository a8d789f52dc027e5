using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Reindex;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.Core.Tests.Hashing;
using BitEarth.Core.Tests.Residency;

namespace BitEarth.Core.Tests.Ingest;

/// <summary>A re-index batch hashes in one HashBatch and writes the codes one-by-one ingest writes.</summary>
public sealed class BatchIngestTests : IAsyncLifetime, IDisposable
{
    private readonly EmbeddedArchive _archive = new();
    private readonly List<PatchBlob> _blobs = [.. SyntheticArchive.Generate(10, seed: 3)];

    public async Task InitializeAsync()
    {
        foreach (var blob in _blobs) await _archive.Blobs.WriteAsync(Containers.Patches, blob.Name, new MemoryStream(blob.Content));
        await _archive.Blobs.WriteAsync(Containers.Patches, "bigearthnet/S2/broken.zip", new MemoryStream("no zip"u8.ToArray()));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _archive.Dispose();

    private PatchIngestor Ingestor(HashCoalescer? coalescer = null) => new(_archive.Blobs, _archive.Store, _archive.Encoders,
        new ResidentIndexCache(_archive.Store, _archive.Encoders, _archive.Options, _archive.Blobs), _archive.Options, coalescer);

    [Fact]
    public async Task A_reindex_batch_is_one_hasher_batch_with_the_codes_of_single_ingest()
    {
        var lsh = LshHasher.Create(128, 9);
        var hasher = new RecordingHasher(lsh);
        await _archive.Encoders.PublishAsync(hasher);
        var names = _blobs.Select(b => b.Name).Append("bigearthnet/S2/broken.zip").Append("bigearthnet/S2/gone.zip").ToList();

        var result = await new ArchiveReindexer(_archive.Blobs, _archive.Store, _archive.Encoders, Ingestor())
            .ReindexBatchAsync(hasher.Version, names);

        Assert.Equal(new ReindexBatchResult(20, 1, 1, 0), result);
        Assert.Equal([20], hasher.Batches);
        foreach (var blob in _blobs)
        {
            var patch = PatchBlobReader.Read(blob.Name, blob.Content);
            var stored = await StoredCodeAsync(lsh, patch);
            Assert.Equal(lsh.Hash(patch), stored);
        }
    }

    [Fact]
    public async Task A_reindex_to_an_encoder_without_a_modality_skips_those_patches_and_quarantines_none()
    {
        var s2Only = new RecordingHasher(LshHasher.Create(64, 5), modalities: new HashSet<Modality> { Modality.S2 });
        await _archive.Encoders.PublishAsync(s2Only);
        var result = await new ArchiveReindexer(_archive.Blobs, _archive.Store, _archive.Encoders, Ingestor())
            .ReindexBatchAsync(s2Only.Version, [.. _blobs.Select(b => b.Name)]);
        Assert.Equal(new ReindexBatchResult(10, 0, 0, 10), result);
        await foreach (var _ in _archive.Blobs.ListAsync(Containers.Quarantine)) Assert.Fail("nothing is quarantined");
    }

    [Fact]
    public async Task Single_ingest_through_the_coalescer_writes_the_same_codes()
    {
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        var ingestor = Ingestor(new HashCoalescer());
        var outcomes = await Task.WhenAll(_blobs.Select(b => ingestor.IngestAsync(b.Name)));
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Indexed, o.Status));
        foreach (var blob in _blobs)
        {
            var patch = PatchBlobReader.Read(blob.Name, blob.Content);
            Assert.Equal(_archive.Hasher.Hash(patch), await StoredCodeAsync(_archive.Hasher, patch));
        }
    }

    private async Task<HammingCode> StoredCodeAsync(IPatchHasher hasher, Patch patch)
    {
        var code = hasher.Hash(patch);
        var shard = CodeRecord.ShardFor(hasher.Version, patch.Modality, code.Prefix(_archive.Options.PrefixBits));
        var records = await _archive.Store.ReadShardAsync(shard).ToListAsync();
        return HammingCode.FromBase64(records.Single(r => r.PatchId == patch.Id).Code);
    }
}
