
using BitEarth.Core.Stores;

namespace BitEarth.Storage.Tests;

[Trait("Category", "Integration")]
public sealed class AzureBlobStoreTests : BlobStoreContract, IAsyncLifetime
{
    private readonly AzureBlobStore _store = new(LocalServers.BlobService);

    protected override IBlobStore Store => _store;

    private bool _reachable;

    public async Task InitializeAsync()
    {
        await LocalServers.RequireAzuriteAsync();
        _reachable = true;
    }

    public async Task DisposeAsync()
    {
        if (!_reachable)
            return; // nothing was created; InitializeAsync already reported why
        foreach (var container in new[] { Container, Container + "-b" })
            await LocalServers.BlobService.GetBlobContainerClient(container).DeleteIfExistsAsync();
    }

    [Fact]
    public async Task Writing_creates_the_container_on_demand()
    {
        Assert.False(await LocalServers.BlobService.GetBlobContainerClient(Container).ExistsAsync());

        await WriteTextAsync("first", "x");

        Assert.True(await LocalServers.BlobService.GetBlobContainerClient(Container).ExistsAsync());
    }
}
