using BitEarth.Core.Query;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace BitEarth.Functions.Query;

/// <summary>
/// Durable query: one SearchShardGroup activity per planned search (a shard group under a residency cap, else every
/// group), then the exact merge of their partial top-k lists. Pure coordination: the plan arrives in the input.
/// </summary>
public sealed class QueryFanOut : TaskOrchestrator<QueryFanOutInput, PartialTopK>
{
    [Function(nameof(QueryFanOut))]
    public static Task<PartialTopK> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new QueryFanOut().RunAsync(context, context.GetInput<QueryFanOutInput>()!);

    public override async Task<PartialTopK> RunAsync(TaskOrchestrationContext context, QueryFanOutInput input)
    {
        var partials = await Task.WhenAll(input.Searches.Select(groups =>
            context.CallActivityAsync<PartialTopK>(nameof(SearchShardGroup), new ShardGroupQuery(input.Query, groups))));
        return PartialTopK.Merge(partials, input.Query.K);
    }
}
