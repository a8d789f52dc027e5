using BitEarth.Functions.Hosting;
using DurableTask.Core;

namespace BitEarth.Local.Durable;

/// <summary>
/// The local engine's commits as a completion signal: <see cref="SidecarOrchestrationService"/> reports each commit
/// here, and an end state releases the waiters of that instance, so a waiting query reads the instance's state once
/// instead of polling storage (on Azurite, one Node.js process, the polls of 16 clients queue behind the task hub's own
/// requests). An earlier commit of a watched instance tells that its episodes run here (<see cref="RunsHere"/>).
/// </summary>
public sealed class OrchestrationCompletions : IOrchestrationCompletionSignal
{
    private readonly Dictionary<string, Waiters> _waiting = new(StringComparer.Ordinal);

    /// <summary>Instances with a waiter registered.</summary>
    public int Watched
    {
        get { lock (_waiting) return _waiting.Count; }
    }

    public Task WhenEndedAsync(string instanceId, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled(ct);
        Waiters waiters;
        lock (_waiting)
        {
            if (!_waiting.TryGetValue(instanceId, out waiters!)) _waiting.Add(instanceId, waiters = new Waiters());
            waiters.Count++;
        }
        return WaitAsync(instanceId, waiters, ct);
    }

    public bool RunsHere(string instanceId)
    {
        lock (_waiting) return _waiting.TryGetValue(instanceId, out var waiters) && waiters.RunsHere;
    }

    public void Committed(OrchestrationState state)
    {
        if (state.OrchestrationInstance?.InstanceId is not { } id) return;
        bool ended = state.OrchestrationStatus is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated;
        Waiters? waiters;
        lock (_waiting)
        {
            if (!ended)
            {
                if (_waiting.TryGetValue(id, out waiters)) waiters.RunsHere = true;
                return;
            }
            if (!_waiting.Remove(id, out waiters)) return;
        }
        waiters.Ended.TrySetResult();
    }

    private async Task WaitAsync(string instanceId, Waiters waiters, CancellationToken ct)
    {
        try
        {
            await waiters.Ended.Task.WaitAsync(ct);
        }
        finally
        {
            lock (_waiting)
                // The last one to give up removes the entry, unless a commit did (and a later waiter made another).
                if (--waiters.Count == 0 && _waiting.TryGetValue(instanceId, out var current) && current == waiters) _waiting.Remove(instanceId);
        }
    }

    private sealed class Waiters
    {
        // The commit's thread is the engine's dispatcher: the waiters continue elsewhere.
        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; set; }

        public bool RunsHere { get; set; }
    }
}
