using BitEarth.Functions.Hosting;
using BitEarth.Local.Durable;
using DurableTask.Core;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Tests.Durable;

public sealed class DurableWaitTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_signalled_wait_ends_at_the_commit_and_reads_the_output_once()
    {
        var client = new ScriptedDurableClient();
        var completions = new OrchestrationCompletions();
        var wait = new DurableWait(completions).ForCompletionAsync(client, "q1", CancellationToken.None);
        Assert.Equal(1, completions.Watched);
        Assert.False(wait.IsCompleted);

        client.End();
        completions.Committed(OrchestrationCompletionsTests.Commit("q1", OrchestrationStatus.Completed));

        var state = await wait.WaitAsync(Limit);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
        // The check made once the waiter was registered, before the commit; the slow poll (250 ms) never came due.
        Assert.Equal(1, client.StatusReads);
        Assert.Equal(1, client.PayloadReads);
        Assert.Equal(0, completions.Watched);
    }

    [Fact]
    public async Task A_signalled_wait_on_an_orchestration_that_ended_before_returns_at_once()
    {
        var client = new ScriptedDurableClient();
        client.End();
        var completions = new OrchestrationCompletions();

        var state = await new DurableWait(completions).ForCompletionAsync(client, "q1", CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal((1, 1), (client.StatusReads, client.PayloadReads));
        Assert.Equal(0, completions.Watched);
    }

    [Fact]
    public async Task A_signalled_wait_finds_an_end_another_process_committed_by_its_slow_poll()
    {
        var client = new ScriptedDurableClient();
        var completions = new OrchestrationCompletions();
        var wait = new DurableWait(completions).ForCompletionAsync(client, "q1", CancellationToken.None);

        client.End(); // no commit here: the signal never comes

        var state = await wait.WaitAsync(Limit);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal(1, client.PayloadReads);
        Assert.Equal(0, completions.Watched);
    }

    [Fact]
    public async Task A_signalled_wait_polls_slowly_while_the_orchestration_runs()
    {
        var client = new ScriptedDurableClient();
        var completions = new OrchestrationCompletions();
        var wait = new DurableWait(completions).ForCompletionAsync(client, "q1", CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(1));
        client.End();
        await wait.WaitAsync(Limit);

        // 250 ms apart: about four checks in the second, where the unsignalled back-off (5..50 ms) makes over twenty.
        Assert.InRange(client.StatusReads, 2, 8);
    }

    [Fact]
    public async Task A_signalled_wait_on_an_orchestration_that_runs_here_polls_more_slowly_still()
    {
        var client = new ScriptedDurableClient();
        var completions = new OrchestrationCompletions();
        var wait = new DurableWait(completions).ForCompletionAsync(client, "q1", CancellationToken.None);
        completions.Committed(OrchestrationCompletionsTests.Commit("q1", OrchestrationStatus.Running));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Task.Delay(TimeSpan.FromSeconds(1));
        int reads = client.StatusReads;
        var waited = clock.Elapsed;
        Assert.False(wait.IsCompleted);
        // The check once the waiter was registered and at most the 250 ms poll already pending, then one every 2 s:
        // none in a second, unless a loaded machine let the delay run long (CI once measured 3 s).
        Assert.InRange(reads, 1, 2 + (int)(Math.Max(0, (waited - TimeSpan.FromMilliseconds(250)).TotalSeconds) / 2));
        client.End(); // the partition moved: the end is committed elsewhere, and the 2 s poll finds it

        var state = await wait.WaitAsync(Limit);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal(1, client.PayloadReads);
    }

    [Fact]
    public async Task An_unsignalled_wait_polls_without_payloads_then_reads_the_output_once()
    {
        var client = new ScriptedDurableClient();
        var wait = new DurableWait().ForCompletionAsync(client, "q1", CancellationToken.None);
        while (client.StatusReads < 3) await Task.Delay(1);

        client.End();

        var state = await wait.WaitAsync(Limit);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, state.RuntimeStatus);
        Assert.Equal(1, client.PayloadReads);
    }

    [Fact]
    public async Task A_cancelled_signalled_wait_throws_and_leaves_no_waiter()
    {
        var client = new ScriptedDurableClient();
        var completions = new OrchestrationCompletions();
        using var cancel = new CancellationTokenSource();
        var wait = new DurableWait(completions).ForCompletionAsync(client, "q1", cancel.Token);
        while (completions.Watched == 0) await Task.Delay(1);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Limit));
        Assert.Equal(0, completions.Watched);
        Assert.Equal(0, client.PayloadReads);
    }
}
