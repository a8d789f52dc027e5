using System.Text;
using BitEarth.Core.Stores;

namespace BitEarth.Storage.Tests;

/// <summary>What every <see cref="IBlobStore"/> must do; each implementation's test class derives from this.</summary>
public abstract class BlobStoreContract
{
    /// <summary>A container no other test uses, so tests can share one server.</summary>
    protected string Container { get; } = "t" + Guid.NewGuid().ToString("N")[..20];

    protected abstract IBlobStore Store { get; }

    [Fact]
    public async Task Written_blob_reads_back_byte_for_byte()
    {
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();
        await Store.WriteAsync(Container, "S2/patch-1.tif", new MemoryStream(content));

        Assert.Equal(content, await ReadAllAsync("S2/patch-1.tif"));
    }

    [Fact]
    public async Task A_range_reads_those_bytes_fewer_at_the_end_and_null_for_a_missing_blob()
    {
        var content = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        await Store.WriteAsync(Container, "snap/range", new MemoryStream(content));

        var middle = new byte[100];
        Assert.Equal(100, await Store.ReadRangeAsync(Container, "snap/range", 1234, middle));
        Assert.Equal(content.AsSpan(1234, 100).ToArray(), middle);
        var tail = new byte[100];
        Assert.Equal(50, await Store.ReadRangeAsync(Container, "snap/range", 4950, tail));
        Assert.Equal(content.AsSpan(4950).ToArray(), tail.AsSpan(0, 50).ToArray());
        Assert.Null(await Store.ReadRangeAsync(Container, "snap/absent", 0, middle));
    }

    [Fact]
    public async Task Overwrite_replaces_the_content()
    {
        await WriteTextAsync("a.json", "first, and longer than the second");
        await WriteTextAsync("a.json", "second");

        Assert.Equal("second", Encoding.UTF8.GetString((await ReadAllAsync("a.json"))!));
    }

    [Fact]
    public async Task Entries_list_each_blob_with_its_length_and_a_new_time_after_a_rewrite()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await WriteTextAsync("S2/a.tif", "abc");
        await WriteTextAsync("S2/b.tif", "defgh");
        var first = await EntriesAsync();
        Assert.Equal([("S2/a.tif", 3L), ("S2/b.tif", 5L)], first.Select(e => (e.Name, e.Length)));
        Assert.All(first, e => Assert.InRange(e.LastModified, before, DateTimeOffset.UtcNow.AddSeconds(5)));

        await Task.Delay(1100); // Azure's last-modified time has whole seconds
        await WriteTextAsync("S2/a.tif", "xyz");

        var second = await EntriesAsync();
        Assert.True(second[0].LastModified > first[0].LastModified, $"{first[0]} then {second[0]}");
        Assert.Equal(first[1], second[1]);
        Assert.Equal([.. second.Select(e => e.Name)], await ListAsync());
    }

    [Fact]
    public async Task Missing_blob_or_container_reads_as_null()
    {
        Assert.Null(await Store.OpenReadAsync(Container, "nothing-here"));
        await WriteTextAsync("present", "x");
        Assert.Null(await Store.OpenReadAsync(Container, "absent"));
    }

    [Fact]
    public async Task Delete_reports_whether_there_was_a_blob()
    {
        Assert.False(await Store.DeleteAsync(Container, "never-written"));
        await WriteTextAsync("x/y.bin", "x");

        Assert.True(await Store.DeleteAsync(Container, "x/y.bin"));
        Assert.False(await Store.DeleteAsync(Container, "x/y.bin"));
        Assert.Null(await Store.OpenReadAsync(Container, "x/y.bin"));
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task List_returns_full_names_in_ordinal_order_filtered_by_prefix()
    {
        foreach (var name in new[] { "S2/b/2.tif", "S1/a.tif", "S2/a.tif", "S2/b/1.tif", "readme" })
            await WriteTextAsync(name, name);

        Assert.Equal(["S1/a.tif", "S2/a.tif", "S2/b/1.tif", "S2/b/2.tif", "readme"], await ListAsync());
        Assert.Equal(["S2/a.tif", "S2/b/1.tif", "S2/b/2.tif"], await ListAsync("S2/"));
        Assert.Equal(["S2/b/1.tif", "S2/b/2.tif"], await ListAsync("S2/b"));
        Assert.Empty(await ListAsync("S3"));
    }

    [Fact]
    public async Task Listing_a_container_never_written_is_empty()
    {
        Assert.Empty(await ListAsync());
    }

    [Fact]
    public async Task Containers_are_separate()
    {
        var other = Container + "-b";
        await WriteTextAsync("same-name", "in first");
        await Store.WriteAsync(other, "same-name", new MemoryStream("in second"u8.ToArray()));

        Assert.Equal("in first", Encoding.UTF8.GetString((await ReadAllAsync("same-name"))!));
        Assert.True(await Store.DeleteAsync(other, "same-name"));
        Assert.NotNull(await Store.OpenReadAsync(Container, "same-name"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../escape")]
    [InlineData("a/./b")]
    [InlineData("/rooted")]
    [InlineData("a//b")]
    [InlineData("trailing/")]
    [InlineData("back\\slash")]
    [InlineData("")]
    public async Task Unsafe_blob_names_are_rejected_with_a_reason(string name)
    {
        var error = await Assert.ThrowsAsync<BlobNameException>(
            () => Store.WriteAsync(Container, name, new MemoryStream([1])));
        Assert.Equal(name, error.Name);
        Assert.NotEmpty(error.Reason);
        await Assert.ThrowsAsync<BlobNameException>(() => Store.OpenReadAsync(Container, name));
        await Assert.ThrowsAsync<BlobNameException>(() => Store.DeleteAsync(Container, name));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("Upper")]
    [InlineData("a/b")]
    [InlineData("ab")]
    [InlineData("-lead")]
    [InlineData("double--hyphen")]
    [InlineData(".tmp")]
    public async Task Invalid_container_names_are_rejected(string container)
    {
        await Assert.ThrowsAsync<BlobNameException>(() => Store.WriteAsync(container, "x", new MemoryStream([1])));
        await Assert.ThrowsAsync<BlobNameException>(async () =>
        {
            await foreach (var _ in Store.ListAsync(container)) { }
        });
    }

    [Fact]
    public async Task Concurrent_writes_of_one_blob_leave_one_whole_version()
    {
        var versions = Enumerable.Range(0, 8).Select(i => Enumerable.Repeat((byte)i, 50_000).ToArray()).ToArray();
        await Task.WhenAll(versions.Select(v => Task.Run(() => Store.WriteAsync(Container, "raced", new MemoryStream(v)))));

        var content = await ReadAllAsync("raced");
        Assert.Contains(versions, v => v.AsSpan().SequenceEqual(content));
        Assert.Equal(["raced"], await ListAsync());
    }

    protected Task WriteTextAsync(string name, string text) =>
        Store.WriteAsync(Container, name, new MemoryStream(Encoding.UTF8.GetBytes(text)));

    protected async Task<byte[]?> ReadAllAsync(string name)
    {
        await using var stream = await Store.OpenReadAsync(Container, name);
        if (stream is null)
            return null;
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    protected async Task<List<string>> ListAsync(string? prefix = null)
    {
        var names = new List<string>();
        await foreach (var name in Store.ListAsync(Container, prefix))
            names.Add(name);
        return names;
    }

    private async Task<List<BlobEntry>> EntriesAsync()
    {
        var entries = new List<BlobEntry>();
        await foreach (var entry in Store.ListEntriesAsync(Container))
            entries.Add(entry);
        return entries;
    }
}
