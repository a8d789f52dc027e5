using BitEarth.Core.Ingest;
using BitEarth.Core.Stores;
using BitEarth.Local.Ingest;

namespace BitEarth.Functions.Tests.Ingest;

/// <summary>
/// The local folder watcher looks at a blob again whenever it changes: a fixed file uploaded under a quarantined name
/// and an overwrite with new content are ingested, and a file still being written is left until it has settled.
/// </summary>
public sealed class PatchesWatcherTests : IAsyncLifetime
{
    private const string Blob = "eurosat/Forest/Forest_1.tif";
    private static readonly string EuroSat = Path.Combine(RepoPaths.SharedData, "eurosat-ms");
    private LocalHostRunner _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostRunner.StartAsync("embedded", synthetic: 1);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private PatchesWatcher Watcher => _host.Service<PatchesWatcher>();

    [Fact]
    public async Task A_fixed_file_uploaded_under_a_quarantined_name_is_ingested()
    {
        await _host.Blobs.WriteAsync(Containers.Patches, Blob, new MemoryStream("not a tiff"u8.ToArray()));
        Assert.Equal(IngestStatus.Quarantined, Assert.Single(await Watcher.PollUntilSettledAsync(CancellationToken.None)).Status);

        await _host.Blobs.WriteAsync(Containers.Patches, Blob, new MemoryStream(EuroSatBytes("Forest", 1)));
        var outcome = Assert.Single(await Watcher.PollUntilSettledAsync(CancellationToken.None));

        Assert.Equal(IngestStatus.Indexed, outcome.Status);
        Assert.NotNull(await _host.Store.GetPatchAsync("Forest_1"));
    }

    [Fact]
    public async Task An_overwrite_with_new_content_is_ingested_again()
    {
        await _host.Blobs.WriteAsync(Containers.Patches, Blob, new MemoryStream(EuroSatBytes("Forest", 1)));
        await Watcher.PollUntilSettledAsync(CancellationToken.None);
        var before = await CodeOfAsync("Forest_1");

        await _host.Blobs.WriteAsync(Containers.Patches, Blob, new MemoryStream(EuroSatBytes("Forest", 2)));
        var outcome = Assert.Single(await Watcher.PollUntilSettledAsync(CancellationToken.None));

        Assert.Equal(IngestStatus.Indexed, outcome.Status);
        Assert.NotEqual(before, await CodeOfAsync("Forest_1"));
        Assert.Empty(await Watcher.PollAsync(CancellationToken.None)); // unchanged since: not read again
    }

    [Fact]
    public async Task A_file_still_being_written_is_read_only_once_it_has_settled()
    {
        var bytes = EuroSatBytes("Forest", 1);
        var path = Path.Combine(_host.Data, "blobs", Containers.Patches, "eurosat", "Forest", "Forest_1.tif");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            await file.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await file.FlushAsync();
            Assert.Empty(await Watcher.PollAsync(CancellationToken.None));
            Assert.Equal(1, Watcher.Unsettled);
            await file.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        }

        var outcome = Assert.Single(await Watcher.PollUntilSettledAsync(CancellationToken.None));

        Assert.Equal(IngestStatus.Indexed, outcome.Status);
        Assert.Empty(await ListAsync(Containers.Quarantine));
    }

    private static byte[] EuroSatBytes(string label, int n) => File.ReadAllBytes(Path.Combine(EuroSat, label, $"{label}_{n}.tif"));

    private async Task<string?> CodeOfAsync(string patchId)
    {
        var encoder = await _host.Store.GetActiveEncoderAsync();
        var record = await _host.Store.GetPatchAsync(patchId);
        Assert.NotNull(record);
        await foreach (var shard in ShardsAsync(encoder!))
            await foreach (var code in _host.Store.ReadShardAsync(shard))
                if (code.PatchId == patchId) return code.Code;
        return null;
    }

    private static async IAsyncEnumerable<string> ShardsAsync(string encoder)
    {
        for (int prefix = 0; prefix < 1 << new Core.ArchiveOptions().PrefixBits; prefix++)
            yield return CodeRecord.ShardFor(encoder, Core.Patches.Modality.S2, prefix);
        await Task.CompletedTask;
    }

    private async Task<List<string>> ListAsync(string container)
    {
        var names = new List<string>();
        await foreach (var name in _host.Blobs.ListAsync(container)) names.Add(name);
        return names;
    }
}
