namespace BitEarth.Functions.Hosting;

/// <summary>
/// Tells a waiter that an orchestration ended, where the host sees its Durable Task engine commit (the local host runs
/// the engine in process). Azure's Functions host offers none: there <see cref="DurableWait"/> polls.
/// </summary>
public interface IOrchestrationCompletionSignal
{
    /// <summary>
    /// Completes once this process commits an end state (completed, failed, terminated) of the instance. The waiter is
    /// registered before this returns, so no later commit is missed; an earlier one is (read the state after calling).
    /// Cancelling <paramref name="ct"/> removes the waiter.
    /// </summary>
    Task WhenEndedAsync(string instanceId, CancellationToken ct);

    /// <summary>
    /// Whether this process has committed an episode of the instance since a waiter registered: it holds the instance's
    /// control-queue partition, so the end will be committed, and signalled, here too unless that partition moves.
    /// </summary>
    bool RunsHere(string instanceId);
}
