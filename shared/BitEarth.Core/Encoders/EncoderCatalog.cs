using System.Collections.Concurrent;
using System.Diagnostics;
using BitEarth.Core.Hashing;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Encoders;

/// <summary>
/// Hashers by version, loaded from the encoders container (one blob per version, "{version}.json" or an ONNX package)
/// and cached; which one is active lives in the code store so every instance switches at the same moment (queries read
/// it per call; ingest reuses it for <see cref="ArchiveOptions.EncoderStateInterval"/>, see <see cref="GetIngestHashersAsync"/>).
/// </summary>
public sealed class EncoderCatalog(IBlobStore blobs, ICodeStore store, ArchiveOptions options, HasherKinds kinds)
{
    private readonly ConcurrentDictionary<string, Task<IPatchHasher>> _loaded = new();
    private volatile CachedState? _state;

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

    /// <summary>
    /// The hashers a new patch is written with: the active one first (created on a fresh archive), then every pending
    /// one. The state is reused for <see cref="ArchiveOptions.EncoderStateInterval"/> from the moment its read started,
    /// never from when it returned, so no instance uses a state read before an encoder became pending for longer than
    /// the interval after that. <see cref="WaitForIngestToSeePendingAsync"/> relies on exactly this.
    /// </summary>
    public async Task<IReadOnlyList<IPatchHasher>> GetIngestHashersAsync(CancellationToken ct = default)
    {
        var cached = _state;
        if (cached is null || Stopwatch.GetElapsedTime(cached.ReadStarted) >= options.EncoderStateInterval)
        {
            var started = Stopwatch.GetTimestamp();
            _state = cached = new CachedState(await store.GetEncoderStateAsync(ct), started);
        }
        var hashers = new List<IPatchHasher>();
        if (cached.State.Active is { } active) hashers.Add(await GetAsync(active, ct));
        else
        {
            hashers.Add(await GetActiveAsync(ct));
            _state = null; // the state just changed: the next blob reads it again
        }
        foreach (var pending in cached.State.Pending)
            if (!hashers.Any(h => h.Version == pending)) hashers.Add(await GetAsync(pending, ct));
        return hashers;
    }

    /// <summary>
    /// Called after an encoder became pending and before a re-index lists its first page: returns once every instance's
    /// cached state is younger than that moment, so from then on every ingest writes the pending encoder too. A blob
    /// ingested with an older state existed before the listing started, so the listing finds it and the re-index hashes
    /// it. The interval covers the caches; <see cref="ArchiveOptions.StampOverlap"/> is a margin for a read served by a
    /// replica a little behind the write (Cosmos DB's Session consistency promises read-your-writes only to the writer).
    /// </summary>
    public Task WaitForIngestToSeePendingAsync(CancellationToken ct = default) =>
        Task.Delay(options.EncoderStateInterval + options.StampOverlap, ct);

    /// <summary>Stores a hasher's parameters so any instance can load it by version.</summary>
    public async Task PublishAsync(IPatchHasher hasher, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        hasher.Save(buffer);
        buffer.Position = 0;
        await blobs.WriteAsync(Containers.Encoders, BlobName(hasher.Version), buffer, ct);
        _loaded[hasher.Version] = Task.FromResult(hasher);
    }

    private sealed record CachedState(EncoderState State, long ReadStarted);

    private async Task<IPatchHasher> LoadAsync(string version, CancellationToken ct)
    {
        await using var stream = await blobs.OpenReadAsync(Containers.Encoders, BlobName(version), ct)
            ?? throw new EncoderNotFoundException(version);
        return kinds.Load(stream);
    }
}
