using BitEarth.Core.Codes;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Tests.Residency;

/// <summary>
/// A shard load reads its snapshot's fixed header, the change feed since that stamp, then the index section. When the
/// blob is replaced between those reads by a snapshot of another stamp (here an older one, put back by a concurrent
/// writer), the feed is read again since the stamp of the section actually loaded, so no change in between is lost.
/// </summary>
public sealed class SnapshotRewrittenDuringLoadTests : IDisposable
{
    private readonly EmbeddedArchive _archive = new();

    public void Dispose() => _archive.Dispose();

    [Fact]
    public async Task A_snapshot_swapped_for_an_older_one_mid_load_still_loads_every_change_since_it()
    {
        var records = await _archive.WriteCodesAsync(200, seed: 6);
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        var first = records[0];
        var second = records.Skip(1).First(r => r.Shard == first.Shard);
        var blob = CodeShardSnapshot.BlobName(_archive.Encoder, first.Modality, HammingCode.FromBase64(first.Code).Prefix(_archive.Options.PrefixBits));
        var older = await ReadAllAsync(blob);

        // Two later writes to the shard, 30 s apart: the newer snapshot's feed (its last 2 s) holds only the second.
        _archive.Clock.Now = _archive.Clock.Now.AddSeconds(30);
        await _archive.Store.UpsertCodeAsync(first with { Blob = "moved/first.bep" });
        _archive.Clock.Now = _archive.Clock.Now.AddSeconds(30);
        await _archive.Store.UpsertCodeAsync(second with { Blob = "moved/second.bep" });
        await _archive.SnapshotWriter.RefreshAsync(_archive.Encoder);
        // The same index section length (only entries grew): the swap shows by the stamp, not as a torn read.
        Assert.Equal(ShardSnapshotIndex.Parse(older).Header.IndexLength, ShardSnapshotIndex.Parse(await ReadAllAsync(blob)).Header.IndexLength);

        var swapping = new SwapBeforeSectionRead(_archive.Blobs, blob, older);
        using var index = await ResidentIndex.LoadAsync(_archive.Store, swapping, _archive.Encoder, 64, _archive.Options, CancellationToken.None);

        Assert.True(swapping.Swapped);
        Assert.Equal(0, index.Loaded!.SnapshotsRefused);
        Assert.Equal(32, index.Loaded.ShardsFromSnapshots);
        Assert.Equal(records.Count, index.Count);
        Assert.Equal("moved/first.bep", (await index.RecordOfAsync(first.PatchId))!.Blob);
        Assert.Equal("moved/second.bep", (await index.RecordOfAsync(second.PatchId))!.Blob);
    }

    private async Task<byte[]> ReadAllAsync(string blob)
    {
        await using var stream = await _archive.Blobs.OpenReadAsync(Containers.Snapshots, blob);
        using var bytes = new MemoryStream();
        await stream!.CopyToAsync(bytes);
        return bytes.ToArray();
    }

    /// <summary>Puts <paramref name="replacement"/> in place of one blob just before its index section is first read.</summary>
    private sealed class SwapBeforeSectionRead(IBlobStore inner, string blob, byte[] replacement) : IBlobStore
    {
        public bool Swapped { get; private set; }

        public async Task<int?> ReadRangeAsync(string container, string name, long offset, Memory<byte> buffer, CancellationToken ct = default)
        {
            if (!Swapped && container == Containers.Snapshots && name == blob && buffer.Length > 40)
            {
                Swapped = true;
                using var content = new MemoryStream(replacement, writable: false);
                await inner.WriteAsync(container, name, content, ct);
            }
            return await inner.ReadRangeAsync(container, name, offset, buffer, ct);
        }

        public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct = default) => inner.OpenReadAsync(container, name, ct);

        public Task WriteAsync(string container, string name, Stream content, CancellationToken ct = default) => inner.WriteAsync(container, name, content, ct);

        public Task<bool> DeleteAsync(string container, string name, CancellationToken ct = default) => inner.DeleteAsync(container, name, ct);

        public IAsyncEnumerable<string> ListAsync(string container, string? prefix = null, CancellationToken ct = default) => inner.ListAsync(container, prefix, ct);

        public IAsyncEnumerable<BlobEntry> ListEntriesAsync(string container, string? prefix = null, CancellationToken ct = default) => inner.ListEntriesAsync(container, prefix, ct);
    }
}
