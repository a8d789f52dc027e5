using System.Collections.Concurrent;
using BitEarth.Core.Query;
using BitEarth.Functions.Query;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Tests.Durable;

/// <summary>
/// A Durable Task client whose QueryFanOut orchestrations run until the test ends them (<see cref="Complete"/>,
/// <see cref="Fail"/>); it keeps each scheduled input, in scheduling order. Nothing else is called by a fan-out.
/// </summary>
public sealed class FanOutDurableClient() : TestDurableClient("fan-out")
{
    private readonly ConcurrentDictionary<string, OrchestrationMetadata> _ended = new();
    private readonly List<(string Id, IReadOnlyList<QueryFanOutInput> Queries)> _scheduled = [];

    public IReadOnlyList<(string Id, IReadOnlyList<QueryFanOutInput> Queries)> Scheduled
    {
        get { lock (_scheduled) return [.. _scheduled]; }
    }

    /// <summary>Waits until <paramref name="count"/> orchestrations were scheduled.</summary>
    public async Task<(string Id, IReadOnlyList<QueryFanOutInput> Queries)> ScheduledAsync(int count)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Scheduled.Count < count) await Task.Delay(5, limit.Token);
        return Scheduled[count - 1];
    }

    /// <summary>Ends the orchestration with each query's partial: its k as the one hit's key, so a caller can tell its own.</summary>
    public void Complete(string id)
    {
        var queries = Scheduled.Single(s => s.Id == id).Queries;
        IReadOnlyList<PartialTopK> partials = [.. queries.Select(q => new PartialTopK([new(q.Query.K, 0)], 1, 1))];
        _ended[id] = new OrchestrationMetadata(nameof(QueryFanOut), id)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Completed,
            SerializedOutput = JsonDataConverter.Default.Serialize(partials),
            DataConverter = JsonDataConverter.Default,
        };
    }

    public void Fail(string id) =>
        _ended[id] = new OrchestrationMetadata(nameof(QueryFanOut), id) { RuntimeStatus = OrchestrationRuntimeStatus.Failed };

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null,
        CancellationToken cancellation = default)
    {
        lock (_scheduled)
        {
            var id = $"q{_scheduled.Count + 1}";
            _scheduled.Add((id, (IReadOnlyList<QueryFanOutInput>)input!));
            return Task.FromResult(id);
        }
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
        Task.FromResult<OrchestrationMetadata?>(_ended.TryGetValue(instanceId, out var ended) ? ended : new OrchestrationMetadata(nameof(QueryFanOut), instanceId)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Running,
        });
}
