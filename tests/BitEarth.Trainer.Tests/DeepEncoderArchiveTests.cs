using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Reindex;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.Onnx;
using BitEarth.Storage.Embedded;
using BitEarth.Trainer.Export;

namespace BitEarth.Trainer.Tests;

/// <summary>
/// A trained cross-modal encoder, published as an ONNX hasher file in the encoders container, taken through the same
/// archive services the functions call: re-index switches the archive to it, and an S2 example then finds S1 patches.
/// </summary>
public sealed class DeepEncoderArchiveTests(TrainedPair trained) : IClassFixture<TrainedPair>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bitearth-deep-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>What the Functions app registers: Core's kinds and the ONNX packages the trainer writes.</summary>
    private static readonly HasherKinds OnnxKinds = HasherKinds.BuiltIn.With(new OnnxHasherKind());

    [Fact]
    public async Task Reindex_with_the_onnx_encoder_switches_queries_to_cross_modal_deep_codes()
    {
        var blobs = new LocalFolderBlobStore(Path.Combine(_dir, "blobs"));
        using var store = new EmbeddedCodeStore(Path.Combine(_dir, "codes"));
        var options = new ArchiveOptions();
        var encoders = new EncoderCatalog(blobs, store, options, OnnxKinds);
        var indexes = new ResidentIndexCache(store, encoders, options);
        var ingestor = new PatchIngestor(blobs, store, encoders, indexes, options);
        var search = new ArchiveSearch(encoders, indexes, options);
        foreach (var blob in SyntheticArchive.Generate(12, seed: 5))
            await blobs.WriteAsync(Containers.Patches, blob.Name, new MemoryStream(blob.Content));
        var names = new List<string>();
        await foreach (var name in blobs.ListAsync(Containers.Patches)) names.Add(name);
        foreach (var name in names) Assert.Equal(IngestStatus.Indexed, (await ingestor.IngestAsync(name)).Status);

        // The trainer's output, published the way an operator uploads it: a hasher file named by its version.
        var package = EncoderExport.ToPackage(trained.Encoders, "deep-test-v1", "labelled synthetic pairs", DateTimeOffset.UnixEpoch);
        using var zip = new MemoryStream();
        package.Write(zip);
        zip.Position = 0;
        using var hasher = OnnxHasher.Load(zip);
        using var file = new MemoryStream();
        hasher.Save(file);
        file.Position = 0;
        await blobs.WriteAsync(Containers.Encoders, EncoderCatalog.BlobName(hasher.Version), file);

        // A fresh catalog, as another instance would have: it must load the encoder from the blob.
        var reindexer = new ArchiveReindexer(blobs, store, new EncoderCatalog(blobs, store, options, OnnxKinds), ingestor);
        var version = await reindexer.PrepareEncoderAsync("deep-test-v1", 0, 0);
        var page = await reindexer.ListPatchBlobsAsync(null, 1000);
        var result = await reindexer.ReindexBatchAsync(version, page.Names);
        Assert.Equal(new ReindexBatchResult(24, 0, 0), result);
        await reindexer.ActivateAsync(version);

        var s2 = names.First(n => n.Contains("/S2/"));
        var query = await search.PrepareAsync(Path.GetFileNameWithoutExtension(s2), 5, QueryTarget.S1);
        var answer = await search.SearchInProcessAsync(query);
        Assert.Equal("deep-test-v1", answer.Encoder);
        Assert.Equal(5, answer.Results.Count);
        Assert.All(answer.Results, r => Assert.Equal(Modality.S1, r.Modality));
        Assert.Equal(12, answer.CodesScanned);
    }
}
