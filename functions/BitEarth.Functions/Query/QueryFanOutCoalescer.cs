using BitEarth.Core.Query;
using BitEarth.Functions.Hosting;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Query;

/// <summary>
/// Turns this instance's concurrent durable queries into shared QueryFanOut orchestrations, as a database's group
/// commit does: a query that finds fewer than <see cref="MaxRunning"/> orchestrations running starts one at once with
/// whatever has queued; queries that arrive meanwhile queue, and the next orchestration (at most <see cref="MaxBatch"/>
/// queries) takes them all. A lone query waits for nothing. Each orchestration costs the task hub about 25 storage
/// requests whatever it carries (queue messages, history, instance rows; counted with bench/BitEarth.ServiceBench on
/// Azurite), so under load they are shared instead of repeated per query.
/// </summary>
public sealed class QueryFanOutCoalescer
{
    private readonly DurableWait _wait;
    private readonly ArchiveMetrics _metrics;
    private readonly CancellationToken _stopping;
    private readonly Queue<Call> _queue = new();
    private int _running;

    public QueryFanOutCoalescer(DurableWait wait, ArchiveMetrics metrics, int maxBatch, int maxRunning, CancellationToken stopping)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunning, 1);
        _wait = wait;
        _metrics = metrics;
        MaxBatch = maxBatch;
        MaxRunning = maxRunning;
        _stopping = stopping;
    }

    /// <summary>Queries one orchestration carries at most (the input and each activity's message grow with it).</summary>
    public int MaxBatch { get; }

    /// <summary>Orchestrations this instance runs at once before queries queue for the next one.</summary>
    public int MaxRunning { get; }

    /// <summary>
    /// The query's exact partial top-k over its searches, from a QueryFanOut orchestration it may share. An orchestration
    /// that ends other than completed fails every query it carried (<see cref="QueryOrchestrationException"/>).
    /// </summary>
    public async Task<PartialTopK> SearchAsync(DurableTaskClient client, QueryFanOutInput query, CancellationToken ct)
    {
        var call = new Call(client, query);
        bool lead;
        lock (_queue)
        {
            _queue.Enqueue(call);
            lead = _running < MaxRunning;
            if (lead) _running++;
        }
        if (lead) _ = RunAsync();
        // A caller that gives up leaves its orchestration to the others; a queued one is dropped from the next.
        await using (ct.Register(() => call.Partial.TrySetCanceled(ct)))
            return await call.Partial.Task;
    }

    /// <summary>Runs orchestrations until the queue is empty; each takes everything queued, up to the batch limit.</summary>
    private async Task RunAsync()
    {
        while (true)
        {
            var batch = new List<Call>();
            lock (_queue)
            {
                while (batch.Count < MaxBatch && _queue.TryDequeue(out var call))
                    if (!call.Partial.Task.IsCompleted) batch.Add(call);
                if (batch.Count == 0)
                {
                    _running--;
                    return;
                }
            }
            await RunAsync(batch);
        }
    }

    private async Task RunAsync(List<Call> batch)
    {
        try
        {
            // The first caller's client: that caller is still waiting, so its invocation's client is alive.
            var client = batch[0].Client;
            _metrics.FanOutStarted(batch.Count);
            var id = await client.ScheduleNewOrchestrationInstanceAsync(nameof(QueryFanOut), batch.ConvertAll(c => c.Query), _stopping);
            var state = await _wait.ForCompletionAsync(client, id, _stopping);
            if (state.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
                throw new QueryOrchestrationException(id,
                    $"{nameof(QueryFanOut)} ended {state.RuntimeStatus}: {state.FailureDetails?.ErrorType}: {state.FailureDetails?.ErrorMessage}");
            var partials = state.ReadOutputAs<IReadOnlyList<PartialTopK>>()!;
            for (int i = 0; i < batch.Count; i++) batch[i].Partial.TrySetResult(partials[i]);
        }
        catch (Exception e)
        {
            foreach (var call in batch) call.Partial.TrySetException(e);
        }
    }

    private sealed record Call(DurableTaskClient Client, QueryFanOutInput Query)
    {
        public TaskCompletionSource<PartialTopK> Partial { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
