namespace BitEarth.Core.Stores;

/// <summary>Named containers of blobs: Azure Blob Storage in the cloud, a folder on a laptop.</summary>
public interface IBlobStore
{
    /// <summary>Opens a blob for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct = default);

    Task WriteAsync(string container, string name, Stream content, CancellationToken ct = default);

    /// <summary>Returns false when there was nothing to delete.</summary>
    Task<bool> DeleteAsync(string container, string name, CancellationToken ct = default);

    IAsyncEnumerable<string> ListAsync(string container, string? prefix = null, CancellationToken ct = default);

    /// <summary>Like <see cref="ListAsync"/>, with each blob's length and last-modified time.</summary>
    IAsyncEnumerable<BlobEntry> ListEntriesAsync(string container, string? prefix = null, CancellationToken ct = default);
}
