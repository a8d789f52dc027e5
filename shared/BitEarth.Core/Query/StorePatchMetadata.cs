using System.Collections.Concurrent;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>Patch records by point reads of the code store, <see cref="ReadsInFlight"/> at a time.</summary>
public sealed class StorePatchMetadata(ICodeStore store) : IPatchMetadata
{
    public const int ReadsInFlight = 16;

    public async Task<IReadOnlyDictionary<string, PatchRecord>> GetManyAsync(IReadOnlyCollection<string> patchIds, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(patchIds);
        var found = new ConcurrentDictionary<string, PatchRecord>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(patchIds.Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = ReadsInFlight, CancellationToken = ct },
            async (id, token) =>
            {
                if (await store.GetPatchAsync(id, token) is { } record) found[id] = record;
            });
        return found;
    }
}
