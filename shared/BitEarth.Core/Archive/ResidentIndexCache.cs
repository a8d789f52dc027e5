using System.Collections.Concurrent;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Archive;

/// <summary>
/// One resident index per encoder version for the life of the process, loaded on first use; writes made through
/// this process are applied to a loaded index directly so it never has to be reloaded.
/// </summary>
public sealed class ResidentIndexCache(ICodeStore store, EncoderCatalog encoders, ArchiveOptions options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<ResidentIndex>>> _indexes = new();

    public Task<ResidentIndex> GetAsync(string encoder, CancellationToken ct = default) =>
        _indexes.GetOrAdd(encoder, e => new Lazy<Task<ResidentIndex>>(() => LoadAsync(e, ct))).Value;

    /// <summary>
    /// Applies a record already written to the store. If its index is still loading, waits for the load: the load
    /// may have read that shard before the write, and applying twice is harmless.
    /// </summary>
    public async Task ApplyAsync(CodeRecord record)
    {
        if (_indexes.TryGetValue(record.Encoder, out var lazy) && lazy.IsValueCreated)
            (await lazy.Value).Apply(record);
    }

    private async Task<ResidentIndex> LoadAsync(string encoder, CancellationToken ct)
    {
        var hasher = await encoders.GetAsync(encoder, ct);
        return await ResidentIndex.LoadAsync(store, encoder, hasher.Bits, options.PrefixBits, ct);
    }
}
