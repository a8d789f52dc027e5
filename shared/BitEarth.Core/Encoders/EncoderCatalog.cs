using System.Collections.Concurrent;
using System.Diagnostics;
using BitEarth.Core.Hashing;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Encoders;

/// <summary>
/// Hashers by version, loaded from the encoders container and cached: one blob per version, a hasher file
/// "{version}.json" or a package as its producer wrote it, "{version}.zip" (<see cref="IEncoderPackageFormat"/>). Which
/// one is active lives in the code store so every instance switches at the same moment (queries read it per call;
/// ingest reuses it for <see cref="ArchiveOptions.EncoderStateInterval"/>, see <see cref="GetIngestHashersAsync"/>).
/// </summary>
public sealed class EncoderCatalog(IBlobStore blobs, ICodeStore store, ArchiveOptions options, HasherKinds kinds,
    IEnumerable<IEncoderPackageFormat>? packages = null)
{
    private const int MaxVersionLength = 200;

    private readonly ConcurrentDictionary<string, Task<IPatchHasher>> _loaded = new();
    private readonly IReadOnlyList<IEncoderPackageFormat> _packages = packages?.ToList() ?? [];
    private volatile CachedState? _state;

    public static string BlobName(string version) => $"{version}.json";

    /// <summary>
    /// A version names one blob at the top of the encoders container: letters, digits, '.', '_' and '-', starting with a
    /// letter or digit, no "..". Anything else (a '/', a path step, an empty name) is refused before any store is asked.
    /// </summary>
    public static void ValidateVersion(string? version)
    {
        if (string.IsNullOrEmpty(version)) throw new EncoderVersionException(version ?? "", "is empty");
        if (version.Length > MaxVersionLength) throw new EncoderVersionException(version[..40] + "...", $"is longer than {MaxVersionLength} characters");
        if (!char.IsAsciiLetterOrDigit(version[0])) throw new EncoderVersionException(version, "must start with a letter or digit");
        foreach (var c in version)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
                throw new EncoderVersionException(version, "may only hold letters, digits, '.', '_' and '-'");
        if (version.Contains("..", StringComparison.Ordinal)) throw new EncoderVersionException(version, "must not contain \"..\"");
    }

    /// <summary>Cached per version; a failed load (e.g. a missing blob) is forgotten so a later call can succeed.</summary>
    public async Task<IPatchHasher> GetAsync(string version, CancellationToken ct = default)
    {
        ValidateVersion(version);
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

    /// <summary>
    /// Stores a hasher file (".json", any registered kind: what `fit` writes) or a package unchanged as
    /// "{version}{extension}" (the version read from inside it) and returns its hasher, so a re-index or activation can
    /// name it like any published encoder.
    /// </summary>
    public async Task<IPatchHasher> ImportAsync(Stream package, string extension, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        Func<Stream, IPatchHasher> load;
        if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase)) (load, extension) = (kinds.Load, ".json");
        else
        {
            var format = _packages.FirstOrDefault(f => string.Equals(f.Extension, extension, StringComparison.OrdinalIgnoreCase))
                ?? throw new HasherFormatException($"no encoder package format for '{extension}' is registered here" +
                    $" (registered: {string.Join(", ", Extensions())}).");
            (load, extension) = (format.LoadPackage, format.Extension);
        }
        var bytes = new MemoryStream();
        await package.CopyToAsync(bytes, ct);
        bytes.Position = 0;
        var hasher = load(bytes);
        ValidateVersion(hasher.Version);
        bytes.Position = 0;
        await blobs.WriteAsync(Containers.Encoders, hasher.Version + extension, bytes, ct);
        _loaded[hasher.Version] = Task.FromResult(hasher);
        return hasher;
    }

    /// <summary>Every encoder in the encoders container, by version, with the store's active and pending state.</summary>
    public async Task<IReadOnlyList<EncoderInfo>> ListAsync(CancellationToken ct = default)
    {
        var state = await store.GetEncoderStateAsync(ct);
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var name in blobs.ListAsync(Containers.Encoders, null, ct))
        {
            if (name.Contains('/', StringComparison.Ordinal)) continue;
            foreach (var extension in Extensions())
                if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase) && name.Length > extension.Length)
                    found.TryAdd(name[..^extension.Length], name);
        }
        var encoders = new List<EncoderInfo>();
        foreach (var (version, blob) in found)
        {
            bool active = version == state.Active, pending = state.Pending.Contains(version);
            try
            {
                var hasher = await GetAsync(version, ct);
                encoders.Add(new EncoderInfo(version, blob, hasher.Bits, [.. hasher.Modalities.Order()], hasher.SharesCodeSpace, active, pending));
            }
            catch (Exception e) when (e is EncoderLoadException or EncoderVersionException)
            {
                encoders.Add(new EncoderInfo(version, blob, null, null, null, active, pending, e.Message));
            }
        }
        return encoders;
    }

    private sealed record CachedState(EncoderState State, long ReadStarted);

    private IEnumerable<string> Extensions() => [".json", .. _packages.Select(f => f.Extension)];

    /// <summary>The hasher file first, then each package format's blob; a version's blob must hold that version.</summary>
    private async Task<IPatchHasher> LoadAsync(string version, CancellationToken ct)
    {
        var blob = BlobName(version);
        await using (var stream = await blobs.OpenReadAsync(Containers.Encoders, blob, ct))
            if (stream is not null) return Load(version, blob, () => kinds.Load(stream));
        return await LoadPackageAsync(version, ct) ?? throw new EncoderNotFoundException(version);
    }

    private async Task<IPatchHasher?> LoadPackageAsync(string version, CancellationToken ct)
    {
        foreach (var format in _packages)
        {
            var blob = version + format.Extension;
            await using var stream = await blobs.OpenReadAsync(Containers.Encoders, blob, ct);
            if (stream is not null) return Load(version, blob, () => format.LoadPackage(stream));
        }
        return null;
    }

    private static IPatchHasher Load(string version, string blob, Func<IPatchHasher> load)
    {
        IPatchHasher hasher;
        try { hasher = load(); }
        catch (HasherFormatException e) { throw new EncoderLoadException(version, blob, e.Reason, e); }
        if (hasher.Version == version) return hasher;
        (hasher as IDisposable)?.Dispose();
        throw new EncoderLoadException(version, blob, $"it holds encoder '{hasher.Version}' (was the blob renamed?)");
    }
}
