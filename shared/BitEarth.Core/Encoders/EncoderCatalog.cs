using System.Collections.Concurrent;
using BitEarth.Core.Hashing;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Encoders;

/// <summary>
/// Hashers by version, loaded from the encoders container (one blob per version, "{version}.json" or an ONNX package)
/// and cached; which one is active lives in the code store so every instance switches at the same moment.
/// </summary>
public sealed class EncoderCatalog(IBlobStore blobs, ICodeStore store, ArchiveOptions options, HasherKinds kinds)
{
    private readonly ConcurrentDictionary<string, Task<IPatchHasher>> _loaded = new();

    public static string BlobName(string version) => $"{version}.json";

    /// <summary>Cached per version; a failed load (e.g. a missing blob) is forgotten so a later call can succeed.</summary>
    public async Task<IPatchHasher> GetAsync(string version, CancellationToken ct = default)
    {
        var load = _loaded.GetOrAdd(version, v => LoadAsync(v, CancellationToken.None));
        try
        {
            return await load.WaitAsync(ct);
        }
        catch (Exception) when (load.IsFaulted || load.IsCanceled)
        {
            _loaded.TryRemove(new KeyValuePair<string, Task<IPatchHasher>>(version, load));
            throw;
        }
    }

    /// <summary>The active hasher; on a fresh archive, creates, stores and activates the default LSH encoder.</summary>
    public async Task<IPatchHasher> GetActiveAsync(CancellationToken ct = default)
    {
        var active = await store.GetActiveEncoderAsync(ct);
        if (active is not null) return await GetAsync(active, ct);
        var hasher = LshHasher.Create(options.DefaultBits, options.DefaultSeed);
        await PublishAsync(hasher, ct);
        await store.SetActiveEncoderAsync(hasher.Version, ct);
        return hasher;
    }

    /// <summary>Stores a hasher's parameters so any instance can load it by version.</summary>
    public async Task PublishAsync(IPatchHasher hasher, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        hasher.Save(buffer);
        buffer.Position = 0;
        await blobs.WriteAsync(Containers.Encoders, BlobName(hasher.Version), buffer, ct);
        _loaded[hasher.Version] = Task.FromResult(hasher);
    }

    private async Task<IPatchHasher> LoadAsync(string version, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(Containers.Encoders, BlobName(version), ct)
            ?? throw new EncoderNotFoundException(version);
        return kinds.Load(stream);
    }
}
