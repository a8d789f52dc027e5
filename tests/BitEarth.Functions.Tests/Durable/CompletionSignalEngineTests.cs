using BitEarth.Functions.Hosting;
using BitEarth.Local.Durable;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Tests.Durable;

/// <summary>
/// The local host's engines report their commits to the completion signal: an orchestration the worker cannot run
/// (no such orchestrator) ends failed at its first commit, which releases a waiter registered before it was scheduled.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class CompletionSignalEngineTests
{
    [Theory]
    [InlineData("embedded")]
    [InlineData("azurite")]
    public async Task A_commit_of_the_local_engine_signals_the_end_and_the_wait_reads_it(string backend)
    {
        await using var host = await LocalHostRunner.StartAsync(backend, synthetic: 0, settings: new Dictionary<string, string?>
        {
            ["Cosmos:Database"] = $"signal{Guid.NewGuid():N}"[..16],
            ["Durable:TaskHub"] = $"signal{Guid.NewGuid():N}"[..16],
        });
        var completions = host.Service<OrchestrationCompletions>();
        Assert.Same(completions, host.Service<IOrchestrationCompletionSignal>());
        var client = host.Service<DurableTaskClient>();
        var id = Guid.NewGuid().ToString("N");
        var ended = completions.WhenEndedAsync(id, CancellationToken.None);

        await client.ScheduleNewOrchestrationInstanceAsync("NoSuchOrchestrator", null, new StartOrchestrationOptions(id));

        await ended.WaitAsync(TimeSpan.FromSeconds(60));
        var state = await host.Service<DurableWait>().ForCompletionAsync(client, id, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(OrchestrationRuntimeStatus.Failed, state.RuntimeStatus);
        Assert.Equal(0, completions.Watched);
    }
}
