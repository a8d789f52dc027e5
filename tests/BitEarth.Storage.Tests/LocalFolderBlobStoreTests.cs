
using BitEarth.Core.Stores;
using BitEarth.Storage.Embedded;

namespace BitEarth.Storage.Tests;

public sealed class LocalFolderBlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly LocalFolderBlobStore _store;

    public LocalFolderBlobStoreTests() => _store = new LocalFolderBlobStore(_root.Path);

    protected override IBlobStore Store => _store;

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Names_with_slashes_become_subfolders_of_the_container()
    {
        await WriteTextAsync("S2/tile/patch.tif", "pixels");

        Assert.Equal("pixels", File.ReadAllText(Path.Combine(_root.Path, Container, "S2", "tile", "patch.tif")));
    }

    [Fact]
    public async Task Blobs_survive_a_new_store_over_the_same_root()
    {
        await WriteTextAsync("kept.json", "{}");

        var reopened = new LocalFolderBlobStore(_root.Path);
        await using var stream = await reopened.OpenReadAsync(Container, "kept.json");
        Assert.NotNull(stream);
    }

    [Fact]
    public async Task No_temp_file_is_left_and_none_is_ever_listed()
    {
        await WriteTextAsync("a", "1");
        await WriteTextAsync("a", "2");

        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root.Path, ".tmp")));
        Assert.Equal(["a"], await ListAsync());
    }

    [Fact]
    public async Task A_failed_write_leaves_the_previous_content()
    {
        await WriteTextAsync("doc", "old");

        await Assert.ThrowsAsync<IOException>(() => _store.WriteAsync(Container, "doc", new FailingStream()));

        Assert.Equal("old", System.Text.Encoding.UTF8.GetString((await ReadAllAsync("doc"))!));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root.Path, ".tmp")));
    }

    [Fact]
    public async Task Deleting_the_last_blob_of_a_folder_removes_the_empty_folders_but_not_the_container()
    {
        await WriteTextAsync("deep/er/blob", "x");
        await WriteTextAsync("top", "x");

        Assert.True(await _store.DeleteAsync(Container, "deep/er/blob"));

        Assert.False(Directory.Exists(Path.Combine(_root.Path, Container, "deep")));
        Assert.True(Directory.Exists(Path.Combine(_root.Path, Container)));
    }

    [Fact]
    public async Task Url_encoded_traversal_is_only_a_literal_file_name()
    {
        await WriteTextAsync("..%2fescape", "x");

        Assert.True(File.Exists(Path.Combine(_root.Path, Container, "..%2fescape")));
        Assert.False(File.Exists(Path.Combine(_root.Path, "escape")));
    }

    /// <summary>Yields some bytes, then fails like a dropped upload.</summary>
    private sealed class FailingStream : MemoryStream
    {
        public FailingStream() : base(new byte[10_000]) { }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            Position > 0 ? throw new IOException("connection dropped") : base.ReadAsync(buffer, ct);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    }
}
