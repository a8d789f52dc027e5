using BitEarth.Core.Query;
using BitEarth.Core.Residency;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Query;

/// <summary>
/// Activity: exact top-k over some groups of shards (merged in plan order, as the in-process path does), as keys and
/// distances. Under BitEarth:MaxResidentCodes the group is
/// made resident on the instance that runs the activity first (loaded within the cap when it is not held): the Durable
/// Task engine hands activities to every instance on the task hub, and redelivers a dead instance's ones to the others.
/// </summary>
public sealed partial class SearchShardGroup(ArchiveSearch search, ResidentIndexCache indexes, IHostApplicationLifetime lifetime,
    ILogger<SearchShardGroup> log) : TaskActivity<ShardGroupQuery, PartialTopK>
{
    [Function(nameof(SearchShardGroup))]
    public async Task<PartialTopK> Run([ActivityTrigger] ShardGroupQuery input, CancellationToken ct)
    {
        var partials = new List<PartialTopK>(input.Groups.Count);
        foreach (var group in input.Groups)
        {
            var (partial, loaded) = await search.SearchGroupWithResidencyAsync(input.Query, group, ct);
            if (loaded && indexes.Groups is { Counters: var c } groups)
                LogLoaded(log, group.Name, c.HeldCodes, groups.Cap, c.HeldGroups, c.Hits, c.Misses, c.Evictions);
            partials.Add(partial);
        }
        return PartialTopK.Merge(partials, input.Query.K);
    }

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<PartialTopK> RunAsync(TaskActivityContext context, ShardGroupQuery input) =>
        Run(input, lifetime.ApplicationStopping);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Shard group {Group} loaded: {Held} of {Cap} codes held in {Groups} groups; group searches hits={Hits} misses={Misses} evictions={Evictions}")]
    private static partial void LogLoaded(ILogger logger, string group, long held, long cap, int groups, long hits, long misses, long evictions);
}
