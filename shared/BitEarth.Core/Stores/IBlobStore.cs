namespace BitEarth.Core.Stores;

/// <summary>Named containers of blobs: Azure Blob Storage in the cloud, a folder on a laptop.</summary>
public interface IBlobStore
{
    /// <summary>Opens a blob for reading, or returns null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct = default);

    /// <summary>
    /// Reads up to <paramref name="buffer"/>'s length from <paramref name="offset"/> on (fewer at the blob's end), so a
    /// reader can take a section of a large blob; null when the blob does not exist. Stores that can read a range
    /// directly override this; the fallback opens the blob and seeks.
    /// </summary>
    async Task<int?> ReadRangeAsync(string container, string name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        await using var stream = await OpenReadAsync(container, name, ct);
        if (stream is null) return null;
        if (!stream.CanSeek) throw new NotSupportedException($"Blob {container}/{name} opens as a stream that cannot seek; this store must override ReadRangeAsync.");
        stream.Seek(offset, SeekOrigin.Begin);
        return await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
    }

    Task WriteAsync(string container, string name, Stream content, CancellationToken ct = default);

    /// <summary>Returns false when there was nothing to delete.</summary>
    Task<bool> DeleteAsync(string container, string name, CancellationToken ct = default);

    IAsyncEnumerable<string> ListAsync(string container, string? prefix = null, CancellationToken ct = default);

    /// <summary>Like <see cref="ListAsync"/>, with each blob's length and last-modified time.</summary>
    IAsyncEnumerable<BlobEntry> ListEntriesAsync(string container, string? prefix = null, CancellationToken ct = default);
}
