using BitEarth.Core.Query;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Query;

/// <summary>Activity: exact top-k over one group of shards of the resident index.</summary>
public sealed class SearchShardGroup(ArchiveSearch search)
{
    [Function(nameof(SearchShardGroup))]
    public Task<PartialTopK> Run([ActivityTrigger] ShardGroupQuery input, CancellationToken ct) =>
        search.SearchGroupAsync(input.Query, input.Group, ct);
}
