using System.Globalization;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Reindex;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.Core.Tests.Residency;

namespace BitEarth.Core.Tests.Ingest;

/// <summary>
/// Blobs that arrive while a re-index runs, ahead of its cursor and behind it, through two instances whose encoder
/// state caches were filled at different times: after activation the new encoder holds every patch exactly once.
/// </summary>
public sealed class IngestDuringReindexTests : IDisposable
{
    private const int PageSize = 6;

    private readonly EmbeddedArchive _archive = new(new ArchiveOptions
    {
        // Long enough that an instance would still use a state from before the prepare were the first page not to wait.
        EncoderStateInterval = TimeSpan.FromSeconds(2),
        StampOverlap = TimeSpan.FromMilliseconds(200),
    });

    // 36 patches under names we order: the first 20 are there before the re-index, at even keys.
    private readonly List<PatchBlob> _patches = [.. SyntheticArchive.Generate(18, seed: 21)];
    private readonly SortedSet<int> _usedKeys = [];

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task Every_blob_that_arrives_during_a_reindex_is_in_the_new_encoder_exactly_once()
    {
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        var first = Instance(_archive.Encoders);
        var second = Instance(new EncoderCatalog(_archive.Blobs, _archive.Store, _archive.Options, HasherKinds.BuiltIn));
        var arriving = new Queue<PatchBlob>(_patches.Skip(20));
        for (int i = 0; i < 20; i++) await IngestAsync(first, _patches[i], 2 * i);

        var reindexer = new ArchiveReindexer(_archive.Blobs, _archive.Store, _archive.Encoders, first);
        await IngestAsync(second, arriving.Dequeue(), 1); // fills the second instance's cache before the prepare
        var encoder = await reindexer.PrepareEncoderAsync(null, 128, 7);
        await IngestAsync(second, arriving.Dequeue(), 3); // most likely with the cached state: no pending encoder yet
        var listing = reindexer.ListPatchBlobsAsync(null, PageSize);
        await IngestAsync(first, arriving.Dequeue(), 5); // while the first page waits for every cache to expire
        var page = await listing;

        var indexed = 0;
        var instances = new[] { first, second };
        while (true)
        {
            foreach (var batch in page.Names.Chunk(PageSize / 2))
            {
                indexed += (await reindexer.ReindexBatchAsync(encoder, batch)).Indexed;
                var cursor = KeyOf(batch[^1]);
                // One behind the cursor (the re-index will not list it again) and one ahead, by alternate instances.
                if (arriving.Count > 0 && FreeKey(k => k < cursor) is { } behind)
                    await IngestAsync(instances[arriving.Count % 2], arriving.Dequeue(), behind);
                if (arriving.Count > 0 && FreeKey(k => k > cursor) is { } ahead)
                    await IngestAsync(instances[arriving.Count % 2], arriving.Dequeue(), ahead);
            }
            if (page.Next is null) break;
            page = await reindexer.ListPatchBlobsAsync(page.Next, PageSize);
        }
        Assert.Empty(arriving);
        Assert.InRange(indexed, 23, _patches.Count - 1); // some arrived behind the cursor: the re-index never saw them

        await _archive.SnapshotWriter.RefreshAsync(encoder);
        await reindexer.ActivateAsync(encoder);
        var state = await _archive.Store.GetEncoderStateAsync();
        Assert.Equal(encoder, state.Active);
        Assert.Empty(state.Pending);

        var expected = _patches.Select(p => PatchBlobReader.Read(p.Name, p.Content).Id).Order(StringComparer.Ordinal).ToList();
        var codes = await ReadAllCodesAsync(encoder, bits: 128);
        Assert.Equal(expected, codes.Select(c => c.PatchId).Order(StringComparer.Ordinal));
        var query = new ResidentIndexCache(_archive.Store, _archive.Encoders, _archive.Options, _archive.Blobs);
        Assert.Equal(_patches.Count, (await query.GetAsync(encoder)).Count);
    }

    [Fact]
    public async Task Two_reindexes_at_once_each_receive_every_new_blob_until_their_own_activation()
    {
        await _archive.Store.SetActiveEncoderAsync(_archive.Encoder);
        var ingestor = Instance(_archive.Encoders);
        var reindexer = new ArchiveReindexer(_archive.Blobs, _archive.Store, _archive.Encoders, ingestor);
        var x = await reindexer.PrepareEncoderAsync(null, 128, 7);
        var y = await reindexer.PrepareEncoderAsync(null, 96, 8);
        await _archive.Encoders.WaitForIngestToSeePendingAsync();

        await IngestAsync(ingestor, _patches[0], 0);
        await reindexer.ActivateAsync(x);
        await _archive.Encoders.WaitForIngestToSeePendingAsync();
        await IngestAsync(ingestor, _patches[1], 1);

        var state = await _archive.Store.GetEncoderStateAsync();
        Assert.Equal(x, state.Active);
        Assert.Equal([y], state.Pending);
        Assert.Equal(2, (await ReadAllCodesAsync(x, 128)).Count);
        Assert.Equal(2, (await ReadAllCodesAsync(y, 96)).Count);
        Assert.Single(await ReadAllCodesAsync(_archive.Encoder, 64)); // the old encoder stops at activation
    }

    /// <summary>The ingest side of one instance: its own encoder catalog (and so its own cached encoder state).</summary>
    private PatchIngestor Instance(EncoderCatalog encoders) => new(_archive.Blobs, _archive.Store, encoders,
        new ResidentIndexCache(_archive.Store, encoders, _archive.Options, _archive.Blobs), _archive.Options);

    /// <summary>Writes a patch under the name of <paramref name="key"/> and ingests it, as the blob trigger would.</summary>
    private async Task IngestAsync(PatchIngestor ingestor, PatchBlob patch, int key)
    {
        Assert.True(_usedKeys.Add(key));
        var name = string.Create(CultureInfo.InvariantCulture, $"reindex/{key:d3}.zip");
        await _archive.Blobs.WriteAsync(Containers.Patches, name, new MemoryStream(patch.Content));
        Assert.Equal(IngestStatus.Indexed, (await ingestor.IngestAsync(name)).Status);
    }

    private static int KeyOf(string name) => int.Parse(name["reindex/".Length..^".zip".Length], CultureInfo.InvariantCulture);

    private int? FreeKey(Func<int, bool> where)
    {
        for (int key = 1; key < 200; key += 2)
            if (where(key) && !_usedKeys.Contains(key)) return key;
        return null;
    }

    private async Task<List<CodeRecord>> ReadAllCodesAsync(string encoder, int bits)
    {
        Assert.Equal(bits, (await _archive.Encoders.GetAsync(encoder)).Bits);
        var records = new List<CodeRecord>();
        foreach (var modality in Enum.GetValues<Modality>())
            for (int prefix = 0; prefix < 1 << _archive.Options.PrefixBits; prefix++)
                await foreach (var record in _archive.Store.ReadShardAsync(CodeRecord.ShardFor(encoder, modality, prefix)))
                    records.Add(record);
        return records;
    }
}
