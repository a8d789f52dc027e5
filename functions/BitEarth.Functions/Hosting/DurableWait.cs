using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// Waits for an orchestration by polling its state. The client's built-in wait can lag completion by seconds on the
/// Azure Storage backend; a query should return as soon as its fan-out merges.
/// </summary>
public static class DurableWait
{
    public static async Task<OrchestrationMetadata> ForCompletionAsync(DurableTaskClient client, string instanceId, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var state = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
            if (state is { IsCompleted: true }) return state;
            await Task.Delay(delay, ct);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 50));
        }
    }
}
