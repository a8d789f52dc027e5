using BitEarth.Core.Query;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Query;

/// <summary>Activity: exact top-k over one group of shards of the resident index, as keys and distances.</summary>
public sealed class SearchShardGroup(ArchiveSearch search, IHostApplicationLifetime lifetime) : TaskActivity<ShardGroupQuery, PartialTopK>
{
    [Function(nameof(SearchShardGroup))]
    public Task<PartialTopK> Run([ActivityTrigger] ShardGroupQuery input, CancellationToken ct) =>
        search.SearchGroupAsync(input.Query, input.Group, ct);

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<PartialTopK> RunAsync(TaskActivityContext context, ShardGroupQuery input) =>
        Run(input, lifetime.ApplicationStopping);
}
