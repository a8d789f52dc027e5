using BitEarth.Core.Query;
using BitEarth.Core.Residency;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Query;

/// <summary>
/// Activity: for each of its queries, the exact top-k over that query's groups of shards (merged in plan order, as the
/// in-process path does), as keys and distances, in input order. Under BitEarth:MaxResidentCodes the group is
/// made resident on the instance that runs the activity first (loaded within the cap when it is not held): the Durable
/// Task engine hands activities to every instance on the task hub, and redelivers a dead instance's ones to the others.
/// </summary>
public sealed partial class SearchShardGroup(ArchiveSearch search, ResidentIndexCache indexes, IHostApplicationLifetime lifetime,
    ILogger<SearchShardGroup> log) : TaskActivity<IReadOnlyList<ShardGroupQuery>, IReadOnlyList<PartialTopK>>
{
    [Function(nameof(SearchShardGroup))]
    public async Task<IReadOnlyList<PartialTopK>> Run([ActivityTrigger] IReadOnlyList<ShardGroupQuery> input, CancellationToken ct)
    {
        var answers = new List<PartialTopK>(input.Count);
        foreach (var query in input)
        {
            var partials = new List<PartialTopK>(query.Groups.Count);
            foreach (var group in query.Groups)
            {
                var (partial, loaded) = await search.SearchGroupWithResidencyAsync(query.Query, group, ct);
                if (loaded && indexes.Groups is { Counters: var c } groups)
                    LogLoaded(log, group.Name, c.HeldCodes, groups.Cap, c.HeldGroups, c.Hits, c.Misses, c.Evictions);
                partials.Add(partial);
            }
            answers.Add(PartialTopK.Merge(partials, query.Query.K));
        }
        return answers;
    }

    /// <summary>The Durable Task worker passes no token: the host stopping is what cancels the activity.</summary>
    public override Task<IReadOnlyList<PartialTopK>> RunAsync(TaskActivityContext context, IReadOnlyList<ShardGroupQuery> input) =>
        Run(input, lifetime.ApplicationStopping);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Shard group {Group} loaded: {Held} of {Cap} codes held in {Groups} groups; group searches hits={Hits} misses={Misses} evictions={Evictions}")]
    private static partial void LogLoaded(ILogger logger, string group, long held, long cap, int groups, long hits, long misses, long evictions);
}
