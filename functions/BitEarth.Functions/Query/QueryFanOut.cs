using BitEarth.Core.Query;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace BitEarth.Functions.Query;

/// <summary>
/// Durable query: the concurrent queries of one instance (<see cref="QueryFanOutCoalescer"/>), each with its planned
/// searches; one SearchShardGroup activity per distinct set of groups (a shard group under a residency cap, else every
/// group) carries every query that searches it, then each query's partial top-k lists merge exactly. Pure
/// coordination: the plans arrive in the input; the output is one partial per query, in input order.
/// </summary>
public sealed class QueryFanOut : TaskOrchestrator<IReadOnlyList<QueryFanOutInput>, IReadOnlyList<PartialTopK>>
{
    [Function(nameof(QueryFanOut))]
    public static Task<IReadOnlyList<PartialTopK>> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new QueryFanOut().RunAsync(context, context.GetInput<IReadOnlyList<QueryFanOutInput>>()!);

    public override async Task<IReadOnlyList<PartialTopK>> RunAsync(TaskOrchestrationContext context, IReadOnlyList<QueryFanOutInput> queries)
    {
        // Grouped in first-seen order, so every replay schedules the same activities in the same order.
        var searches = queries
            .SelectMany((q, i) => q.Searches.Select(groups => (Query: i, Groups: groups)))
            .GroupBy(s => string.Join(',', s.Groups.Select(g => g.Name).Order(StringComparer.Ordinal)), StringComparer.Ordinal)
            .Select(g => g.ToList())
            .ToList();
        var results = await Task.WhenAll(searches.Select(search =>
            context.CallActivityAsync<IReadOnlyList<PartialTopK>>(nameof(SearchShardGroup),
                search.ConvertAll(s => new ShardGroupQuery(queries[s.Query].Query, s.Groups)))));
        var partials = queries.Select(_ => new List<PartialTopK>()).ToArray();
        for (int a = 0; a < searches.Count; a++)
            for (int s = 0; s < searches[a].Count; s++) partials[searches[a][s].Query].Add(results[a][s]);
        return [.. partials.Select((p, i) => PartialTopK.Merge(p, queries[i].Query.K))];
    }
}
