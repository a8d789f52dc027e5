using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BitEarth.Core.Stores;

namespace BitEarth.Storage;

/// <summary>Azure Blob Storage (or Azurite) behind <see cref="IBlobStore"/>; containers are created on first write.</summary>
public sealed class AzureBlobStore(BlobServiceClient service) : IBlobStore
{
    private readonly ConcurrentDictionary<string, BlobContainerClient> _ensured = new(StringComparer.Ordinal);

    public async Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct = default)
    {
        BlobNames.Validate(container, name);
        try
        {
            return await service.GetBlobContainerClient(container).GetBlobClient(name)
                .OpenReadAsync(cancellationToken: ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // the blob or its whole container does not exist
        }
    }

    /// <summary>One ranged download (HTTP Range), not the 4 MiB-chunked stream of OpenRead.</summary>
    public async Task<int?> ReadRangeAsync(string container, string name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        BlobNames.Validate(container, name);
        if (buffer.IsEmpty) return 0;
        try
        {
            var response = await service.GetBlobContainerClient(container).GetBlobClient(name)
                .DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, buffer.Length) }, ct);
            await using var content = response.Value.Content;
            return await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 416)
        {
            return 0; // the range starts at or past the end of the blob
        }
    }

    public async Task WriteAsync(string container, string name, Stream content, CancellationToken ct = default)
    {
        BlobNames.Validate(container, name);
        var client = await EnsureContainerAsync(container, ct);
        // A single upload commits the blob atomically: readers see the old or the new content, never a mix.
        await client.GetBlobClient(name).UploadAsync(content, overwrite: true, ct);
    }

    public async Task<bool> DeleteAsync(string container, string name, CancellationToken ct = default)
    {
        BlobNames.Validate(container, name);
        try
        {
            var response = await service.GetBlobContainerClient(container).GetBlobClient(name)
                .DeleteIfExistsAsync(cancellationToken: ct);
            return response.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false; // the container itself is missing
        }
    }

    public async IAsyncEnumerable<string> ListAsync(string container, string? prefix = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var blob in ListItemsAsync(container, prefix, ct))
            yield return blob.Name;
    }

    public async IAsyncEnumerable<BlobEntry> ListEntriesAsync(string container, string? prefix = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var blob in ListItemsAsync(container, prefix, ct))
            yield return new BlobEntry(blob.Name, blob.Properties.ContentLength ?? 0,
                blob.Properties.LastModified ?? DateTimeOffset.MinValue);
    }

    private async IAsyncEnumerable<BlobItem> ListItemsAsync(string container, string? prefix,
        [EnumeratorCancellation] CancellationToken ct)
    {
        BlobNames.ValidateContainer(container);
        var client = service.GetBlobContainerClient(container);
        if (!_ensured.ContainsKey(container) && !await client.ExistsAsync(ct))
            yield break;
        await foreach (var blob in client.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, ct))
            yield return blob;
    }

    private async Task<BlobContainerClient> EnsureContainerAsync(string container, CancellationToken ct)
    {
        if (_ensured.TryGetValue(container, out var client))
            return client;
        client = service.GetBlobContainerClient(container);
        await client.CreateIfNotExistsAsync(cancellationToken: ct);
        _ensured[container] = client;
        return client;
    }
}
