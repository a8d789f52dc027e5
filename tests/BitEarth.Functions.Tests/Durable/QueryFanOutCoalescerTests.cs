using System.Diagnostics.Metrics;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Functions.Hosting;
using BitEarth.Functions.Query;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Functions.Tests.Durable;

public sealed class QueryFanOutCoalescerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static readonly ArchiveMetrics Metrics = new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    // The query's k tells the callers apart: the fake client answers each query with k as its one hit's key.
    private static QueryFanOutInput Query(int k) =>
        new(new PreparedQuery("lsh", new HammingCode(64, [(ulong)k]), null, [Modality.S2], k), [[new ShardGroup(Modality.S2, [0, 1])]]);

    private static QueryFanOutCoalescer Coalescer(int maxBatch = 16, int maxRunning = 1) => new(new DurableWait(), Metrics, maxBatch, maxRunning, CancellationToken.None);

    [Fact]
    public async Task A_lone_query_starts_its_orchestration_at_once()
    {
        var client = new FanOutDurableClient();
        var answer = Coalescer().SearchAsync(client, Query(7), CancellationToken.None);

        var (id, queries) = await client.ScheduledAsync(1);
        Assert.Equal([7], queries.Select(q => q.Query.K));
        client.Complete(id);
        Assert.Equal(7, (await answer.WaitAsync(Limit)).Hits.Single().Key);
    }

    [Fact]
    public async Task Queries_that_arrive_while_the_orchestrations_run_share_the_next_one_and_each_gets_its_own_partial()
    {
        var client = new FanOutDurableClient();
        var coalescer = Coalescer(maxRunning: 2);
        var first = coalescer.SearchAsync(client, Query(1), CancellationToken.None);
        var second = coalescer.SearchAsync(client, Query(2), CancellationToken.None);
        await client.ScheduledAsync(2);
        var queued = Enumerable.Range(3, 5).Select(k => coalescer.SearchAsync(client, Query(k), CancellationToken.None)).ToList();
        await Task.Delay(100);
        Assert.Equal(2, client.Scheduled.Count); // both running: the five wait

        client.Complete("q1");
        Assert.Equal(1, (await first.WaitAsync(Limit)).Hits.Single().Key);
        var (id, queries) = await client.ScheduledAsync(3);
        Assert.Equal([3, 4, 5, 6, 7], queries.Select(q => q.Query.K));
        client.Complete(id);
        client.Complete("q2");

        Assert.Equal([3, 4, 5, 6, 7], (await Task.WhenAll(queued).WaitAsync(Limit)).Select(p => p.Hits.Single().Key));
        Assert.Equal(2, (await second.WaitAsync(Limit)).Hits.Single().Key);
        Assert.Equal(3, client.Scheduled.Count);
    }

    [Fact]
    public async Task An_orchestration_carries_at_most_the_batch_limit()
    {
        var client = new FanOutDurableClient();
        var coalescer = Coalescer(maxBatch: 2);
        var answers = new List<Task<PartialTopK>> { coalescer.SearchAsync(client, Query(1), CancellationToken.None) };
        await client.ScheduledAsync(1);
        answers.AddRange(Enumerable.Range(2, 3).Select(k => coalescer.SearchAsync(client, Query(k), CancellationToken.None)));

        client.Complete("q1");
        client.Complete((await client.ScheduledAsync(2)).Id);
        client.Complete((await client.ScheduledAsync(3)).Id);

        Assert.Equal([1, 2, 3, 4], (await Task.WhenAll(answers).WaitAsync(Limit)).Select(p => p.Hits.Single().Key));
        Assert.Equal([[1], [2, 3], [4]], client.Scheduled.Select(s => s.Queries.Select(q => q.Query.K).ToArray()));
    }

    [Fact]
    public async Task A_failed_orchestration_fails_every_query_it_carried_with_its_instance_and_no_other()
    {
        var client = new FanOutDurableClient();
        var coalescer = Coalescer();
        var first = coalescer.SearchAsync(client, Query(1), CancellationToken.None);
        await client.ScheduledAsync(1);
        var shared = new[] { coalescer.SearchAsync(client, Query(2), CancellationToken.None), coalescer.SearchAsync(client, Query(3), CancellationToken.None) };

        client.Complete("q1");
        var (id, _) = await client.ScheduledAsync(2);
        client.Fail(id);

        Assert.Equal(1, (await first.WaitAsync(Limit)).Hits.Single().Key);
        foreach (var answer in shared)
            Assert.Equal("q2", (await Assert.ThrowsAsync<QueryOrchestrationException>(() => answer.WaitAsync(Limit))).InstanceId);
        var next = coalescer.SearchAsync(client, Query(4), CancellationToken.None);
        client.Complete((await client.ScheduledAsync(3)).Id);
        Assert.Equal(4, (await next.WaitAsync(Limit)).Hits.Single().Key);
    }

    [Fact]
    public async Task A_queued_query_whose_caller_gives_up_is_left_out_of_the_next_orchestration()
    {
        var client = new FanOutDurableClient();
        var coalescer = Coalescer();
        var first = coalescer.SearchAsync(client, Query(1), CancellationToken.None);
        await client.ScheduledAsync(1);
        using var giveUp = new CancellationTokenSource();
        var abandoned = coalescer.SearchAsync(client, Query(2), giveUp.Token);
        var kept = coalescer.SearchAsync(client, Query(3), CancellationToken.None);

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Limit));
        client.Complete("q1");
        var (id, queries) = await client.ScheduledAsync(2);
        Assert.Equal([3], queries.Select(q => q.Query.K));
        client.Complete(id);
        Assert.Equal(3, (await kept.WaitAsync(Limit)).Hits.Single().Key);
        Assert.Equal(1, (await first.WaitAsync(Limit)).Hits.Single().Key);
    }
}
