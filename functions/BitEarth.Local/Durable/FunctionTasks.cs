using BitEarth.Core.Query;
using BitEarth.Core.Reindex;
using BitEarth.Functions.Query;
using BitEarth.Functions.Reindex;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Local.Durable;

/// <summary>
/// The Function App's orchestrators and activities, registered on the local Durable Task worker under their function
/// names. Orchestrators are registered typed (the Functions extension deserialises inputs the same way).
/// </summary>
public static class FunctionTasks
{
    public static readonly IReadOnlyList<string> Names =
    [
        nameof(QueryFanOut), nameof(SearchShardGroup),
        nameof(ReindexArchive), nameof(ListPatchBlobs), nameof(ReindexBatch), nameof(ActivateEncoder),
    ];

    public static void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<QueryFanOutInput, PartialTopK>(nameof(QueryFanOut), QueryFanOut.RunAsync);
        registry.AddOrchestratorFunc<ReindexState, ReindexState>(nameof(ReindexArchive), ReindexArchive.RunAsync);
        Activity<SearchShardGroup, ShardGroupQuery, PartialTopK>(registry, nameof(SearchShardGroup), (f, i, ct) => f.Run(i, ct));
        Activity<ListPatchBlobs, BlobPageRequest, BlobPage>(registry, nameof(ListPatchBlobs), (f, i, ct) => f.Run(i, ct));
        Activity<ReindexBatch, ReindexBatchInput, ReindexBatchResult>(registry, nameof(ReindexBatch), (f, i, ct) => f.Run(i, ct));
        Activity<ActivateEncoder, string, bool>(registry, nameof(ActivateEncoder), async (f, i, ct) => { await f.Run(i, ct); return true; });
    }

    public static void AddFunctionClasses(IServiceCollection services)
    {
        services.AddTransient<SearchShardGroup>();
        services.AddTransient<ListPatchBlobs>();
        services.AddTransient<ReindexBatch>();
        services.AddTransient<ActivateEncoder>();
    }

    private static void Activity<TFunction, TIn, TOut>(DurableTaskRegistry registry, string name,
        Func<TFunction, TIn, CancellationToken, Task<TOut>> run) where TFunction : notnull =>
        registry.AddActivity(name, sp => new ActivityAdapter<TIn, TOut>((input, ct) => run(sp.GetRequiredService<TFunction>(), input, ct)));
}
