using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Tests.Durable;

/// <summary>
/// A Durable Task client whose one orchestration runs until <see cref="End"/>; it counts the state reads, with and
/// without inputs and outputs. Nothing else is called by a wait.
/// </summary>
public sealed class ScriptedDurableClient() : TestDurableClient("scripted")
{
    private volatile bool _ended;
    private int _statusReads;
    private int _payloadReads;

    public int StatusReads => _statusReads;

    public int PayloadReads => _payloadReads;

    public void End() => _ended = true;

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        Interlocked.Increment(ref getInputsAndOutputs ? ref _payloadReads : ref _statusReads);
        return Task.FromResult<OrchestrationMetadata?>(new OrchestrationMetadata("QueryFanOut", instanceId)
        {
            RuntimeStatus = _ended ? OrchestrationRuntimeStatus.Completed : OrchestrationRuntimeStatus.Running,
        });
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default) => throw new NotSupportedException();
}
