using BitEarth.Functions.Query;
using BitEarth.Functions.Reindex;
using Microsoft.DurableTask;

namespace BitEarth.Local.Durable;

/// <summary>
/// The Function App's orchestrator and activity classes, registered on the local Durable Task worker as they are:
/// each under its class name, which is the name of its function in the app.
/// </summary>
public static class FunctionTasks
{
    private static readonly Type[] Orchestrators = [typeof(QueryFanOut), typeof(ReindexArchive), typeof(FitAndReindex)];

    private static readonly Type[] Activities = [typeof(SearchShardGroup), typeof(ListPatchBlobs), typeof(ReindexBatch), typeof(ActivateEncoder),
        typeof(FitPretrainedEncoder)];

    public static IEnumerable<string> Names => Orchestrators.Concat(Activities).Select(t => t.Name);

    public static void Register(DurableTaskRegistry registry)
    {
        foreach (var orchestrator in Orchestrators) registry.AddOrchestrator(orchestrator);
        // Activities are created per call from the worker's services, so their constructor injection is the app's.
        foreach (var activity in Activities) registry.AddActivity(activity);
    }
}
