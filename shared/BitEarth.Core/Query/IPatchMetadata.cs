using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>
/// Where a query reads what it shows and filters on beyond the code (footprint, date, tile): a port, so the answer does
/// not depend on what the resident index keeps in memory.
/// </summary>
public interface IPatchMetadata
{
    /// <summary>The records of <paramref name="patchIds"/> that exist, by id.</summary>
    Task<IReadOnlyDictionary<string, PatchRecord>> GetManyAsync(IReadOnlyCollection<string> patchIds, CancellationToken ct = default);
}
