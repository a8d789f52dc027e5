using System.Collections.Concurrent;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>
/// One resident index per encoder version for the life of the process, loaded on first use (from the shard snapshots
/// in <paramref name="snapshots"/> when given, else item by item); writes made through this process are applied to a
/// loaded index directly, and writes of other processes arrive with the first query once
/// <see cref="ArchiveOptions.IndexRefreshInterval"/> has passed since the index last read its shards' changes, so it
/// never has to be reloaded. With <see cref="ArchiveOptions.MaxResidentCodes"/> set, searches hold shard groups in
/// <see cref="Groups"/> instead, within the cap, and the whole index is loaded only if someone asks for it.
/// </summary>
public sealed class ResidentIndexCache(ICodeStore store, EncoderCatalog encoders, ArchiveOptions options, IBlobStore? snapshots = null)
    : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ResidentIndex>>> _indexes = new();

    /// <summary>The capped residency of shard groups; null without a cap (every search uses the whole index).</summary>
    public ResidentGroupCache? Groups { get; } = options.MaxResidentCodes > 0 ? new ResidentGroupCache(store, snapshots, options) : null;

    /// <summary>
    /// The shared load ignores the caller's token (one caller giving up must not cancel it for the others) and a failed
    /// load is forgotten so the next caller retries; <paramref name="ct"/> only stops this caller's wait. A loaded index
    /// is first brought up to date with the store when its refresh interval has passed; a refresh that fails (store
    /// unreachable) fails this call and is retried by the next.
    /// </summary>
    public async Task<ResidentIndex> GetAsync(string encoder, CancellationToken ct = default)
    {
        var lazy = _indexes.GetOrAdd(encoder, e => new Lazy<Task<ResidentIndex>>(() => LoadAsync(e, CancellationToken.None)));
        ResidentIndex index;
        try
        {
            index = await lazy.Value.WaitAsync(ct);
        }
        catch (Exception) when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            _indexes.TryRemove(new KeyValuePair<string, Lazy<Task<ResidentIndex>>>(encoder, lazy));
            throw;
        }
        await index.RefreshIfDueAsync(store, options, ct);
        return index;
    }

    /// <summary>The index of <paramref name="encoder"/> after reading its shards' changes now, whatever the refresh interval.</summary>
    public async Task<ResidentIndex> RefreshNowAsync(string encoder, CancellationToken ct = default)
    {
        var index = await GetAsync(encoder, ct);
        await index.RefreshIfDueAsync(store, options with { IndexRefreshInterval = TimeSpan.Zero }, ct);
        return index;
    }

    /// <summary>
    /// The code and modality of an archived patch under <paramref name="hasher"/>, or null when it has none: under a cap
    /// from the groups held or the patch's blob (never a whole-archive load), else from the whole index.
    /// </summary>
    public async Task<(HammingCode Code, Modality Modality)?> CodeOfAsync(IPatchHasher hasher, string patchId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        if (Groups is { } groups) return await groups.CodeOfAsync(hasher, patchId, ct);
        var index = await GetAsync(hasher.Version, ct);
        return index.CodeOf(patchId) is { } code && index.ModalityOf(patchId) is { } modality ? (code, modality) : null;
    }

    /// <summary>
    /// Applies a record already written to the store. If its index is still loading, waits for the load: the load
    /// may have read that shard before the write, and applying twice is harmless.
    /// </summary>
    public async Task ApplyAsync(CodeRecord record)
    {
        if (_indexes.TryGetValue(record.Encoder, out var lazy) && lazy.IsValueCreated)
            await (await lazy.Value).ApplyAsync([record]);
        if (Groups is not null) await Groups.ApplyAsync(record);
    }

    /// <summary>At the end of the process (the DI container disposes it): releases the locks of the loaded indexes.</summary>
    public void Dispose()
    {
        Groups?.Dispose();
        foreach (var lazy in _indexes.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Dispose();
    }

    private async Task<ResidentIndex> LoadAsync(string encoder, CancellationToken ct)
    {
        var hasher = await encoders.GetAsync(encoder, ct);
        return await ResidentIndex.LoadAsync(store, snapshots, encoder, hasher.Bits, options, ct);
    }
}
