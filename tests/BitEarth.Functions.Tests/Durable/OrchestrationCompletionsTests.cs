using BitEarth.Local.Durable;
using DurableTask.Core;

namespace BitEarth.Functions.Tests.Durable;

public sealed class OrchestrationCompletionsTests
{
    /// <summary>A commit of the instance in <paramref name="status"/>, as the local engine reports it.</summary>
    internal static OrchestrationState Commit(string instanceId, OrchestrationStatus status) =>
        new() { Name = "QueryFanOut", OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, OrchestrationStatus = status };

    [Theory]
    [InlineData(OrchestrationStatus.Completed)]
    [InlineData(OrchestrationStatus.Failed)]
    [InlineData(OrchestrationStatus.Terminated)]
    public async Task An_end_state_commit_releases_the_waiters_of_that_instance_only_and_leaves_no_entry(OrchestrationStatus status)
    {
        var completions = new OrchestrationCompletions();
        var first = completions.WhenEndedAsync("a", CancellationToken.None);
        var second = completions.WhenEndedAsync("a", CancellationToken.None);
        var other = completions.WhenEndedAsync("b", CancellationToken.None);

        completions.Committed(Commit("a", status));

        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(other.IsCompleted);
        Assert.Equal(1, completions.Watched);
    }

    [Theory]
    [InlineData(OrchestrationStatus.Running)]
    [InlineData(OrchestrationStatus.ContinuedAsNew)]
    [InlineData(OrchestrationStatus.Pending)]
    public async Task A_commit_that_is_not_an_end_leaves_the_waiter_waiting(OrchestrationStatus status)
    {
        var completions = new OrchestrationCompletions();
        var ended = completions.WhenEndedAsync("a", CancellationToken.None);

        completions.Committed(Commit("a", status));

        await Task.Delay(50);
        Assert.False(ended.IsCompleted);
        Assert.Equal(1, completions.Watched);
        Assert.True(completions.RunsHere("a"));
    }

    [Fact]
    public void An_instance_runs_here_only_once_an_episode_of_it_committed_here_while_watched()
    {
        var completions = new OrchestrationCompletions();
        completions.Committed(Commit("early", OrchestrationStatus.Running)); // before any waiter: not kept
        _ = completions.WhenEndedAsync("early", CancellationToken.None);
        _ = completions.WhenEndedAsync("other", CancellationToken.None);
        Assert.False(completions.RunsHere("early"));
        Assert.False(completions.RunsHere("unwatched"));

        completions.Committed(Commit("early", OrchestrationStatus.Running));

        Assert.True(completions.RunsHere("early"));
        Assert.False(completions.RunsHere("other"));
        completions.Committed(Commit("early", OrchestrationStatus.Completed));
        Assert.False(completions.RunsHere("early"));
    }

    [Fact]
    public async Task A_cancelled_waiter_is_removed_and_the_others_on_its_instance_still_wait()
    {
        var completions = new OrchestrationCompletions();
        using var cancel = new CancellationTokenSource();
        var cancelled = completions.WhenEndedAsync("a", cancel.Token);
        var staying = completions.WhenEndedAsync("a", CancellationToken.None);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, completions.Watched);
        completions.Committed(Commit("a", OrchestrationStatus.Completed));
        await staying.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, completions.Watched);
    }

    [Fact]
    public async Task The_last_cancelled_waiter_leaves_no_entry()
    {
        var completions = new OrchestrationCompletions();
        using var cancel = new CancellationTokenSource();
        var ended = completions.WhenEndedAsync("a", cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ended);
        Assert.Equal(0, completions.Watched);
    }
}
