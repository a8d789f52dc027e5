using System.Runtime.CompilerServices;
using BitEarth.Core.Stores;
using Microsoft.Win32.SafeHandles;

namespace BitEarth.Storage.Embedded;

/// <summary>
/// Blobs as files: a container is a subfolder of <c>root</c>, a '/' in a blob name is a further subfolder. Writes go
/// to a temp file under <c>root/.tmp</c> (same volume, and never a container because container names cannot start
/// with '.') and are renamed into place, so readers and listers never see half a blob.
/// </summary>
public sealed class LocalFolderBlobStore : IBlobStore
{
    private const string TempFolder = ".tmp";
    private readonly string _root;

    public LocalFolderBlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    public Task<Stream?> OpenReadAsync(string container, string name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var path = PathOf(container, name);
        try
        {
            // FileShare.Delete lets a writer replace the blob while an older reader still streams the old content.
            Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete,
                bufferSize: 81920, useAsync: true);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <summary>A positioned read of the file (no stream, no buffer of its own).</summary>
    public async Task<int?> ReadRangeAsync(string container, string name, long offset, Memory<byte> buffer, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var path = PathOf(container, name);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        using (handle)
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int read = await RandomAccess.ReadAsync(handle, buffer[total..], offset + total, ct);
                if (read == 0) break;
                total += read;
            }
            return total;
        }
    }

    public async Task WriteAsync(string container, string name, Stream content, CancellationToken ct = default)
    {
        var path = PathOf(container, name);
        var tempDir = Path.Combine(_root, TempFolder);
        Directory.CreateDirectory(tempDir);
        var temp = Path.Combine(tempDir, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             bufferSize: 81920, useAsync: true))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp); // no-op after a successful move
        }
    }

    public Task<bool> DeleteAsync(string container, string name, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var path = PathOf(container, name);
        if (!File.Exists(path))
            return Task.FromResult(false);
        File.Delete(path);
        PruneEmptyFolders(Path.GetDirectoryName(path)!, ContainerPath(container));
        return Task.FromResult(true);
    }

    public async IAsyncEnumerable<string> ListAsync(string container, string? prefix = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var (name, _) in Files(container, prefix))
        {
            ct.ThrowIfCancellationRequested();
            yield return name;
        }
        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobEntry> ListEntriesAsync(string container, string? prefix = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var (name, path) in Files(container, prefix))
        {
            ct.ThrowIfCancellationRequested();
            var file = new FileInfo(path);
            if (!file.Exists) continue; // deleted since it was listed
            yield return new BlobEntry(name, file.Length, file.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }

    /// <summary>Sorted ordinally like Azure's listing, so both stores page through names in the same order.</summary>
    private List<(string Name, string Path)> Files(string container, string? prefix)
    {
        BlobNames.ValidateContainer(container);
        var folder = ContainerPath(container);
        if (!Directory.Exists(folder))
            return [];
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(file => (Name: Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/'), Path: file))
            .Where(f => prefix is null || f.Name.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
    }

    private string ContainerPath(string container) => Path.Combine(_root, container);

    private string PathOf(string container, string name)
    {
        BlobNames.Validate(container, name);
        var folder = ContainerPath(container);
        var path = Path.GetFullPath(Path.Combine(folder, name.Replace('/', Path.DirectorySeparatorChar)));
        // Validation already rules out "..", but a second check on the resolved path costs nothing.
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new BlobNameException(container, name, "blob name resolves outside its container");
        return path;
    }

    private static void PruneEmptyFolders(string folder, string containerFolder)
    {
        while (folder.Length > containerFolder.Length && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            try { Directory.Delete(folder); }
            catch (IOException) { return; } // a concurrent writer just put something there
            folder = Path.GetDirectoryName(folder)!;
        }
    }
}
