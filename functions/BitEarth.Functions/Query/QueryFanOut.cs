using BitEarth.Core.Query;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace BitEarth.Functions.Query;

/// <summary>
/// Durable query: one SearchShardGroup activity per shard group, then the exact merge of their partial top-k lists.
/// Deterministic: the plan depends only on the query code.
/// </summary>
public static class QueryFanOut
{
    [Function(nameof(QueryFanOut))]
    public static Task<PartialTopK> Run([OrchestrationTrigger] TaskOrchestrationContext context) =>
        RunAsync(context, context.GetInput<QueryFanOutInput>()!);

    public static async Task<PartialTopK> RunAsync(TaskOrchestrationContext context, QueryFanOutInput input)
    {
        var groups = ShardPlan.For(input.Query, input.PrefixBits, input.ShardsPerGroup);
        var partials = await Task.WhenAll(groups.Select(g =>
            context.CallActivityAsync<PartialTopK>(nameof(SearchShardGroup), new ShardGroupQuery(input.Query, g))));
        return PartialTopK.Merge(partials, input.Query.K + 1);
    }
}
