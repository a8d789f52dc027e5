using System.Text.Json;
using BitEarth.Functions.Reindex;
using BitEarth.Storage.Embedded;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace BitEarth.Local.Durable;

/// <summary>
/// Keeps re-index runs across restarts of a host whose Durable Task engine is in memory: every committed state of a
/// <see cref="ReindexArchive"/> instance goes to an <see cref="EmbeddedOrchestrationLog"/>, and at start each run the
/// new engine does not know is scheduled again under its own instance id (so its status URL answers again) with its
/// last custom status as input. A <see cref="ReindexState"/> is always a point to restart from: the generation in
/// flight is redone (its batches are idempotent and counted once), a finished run is re-created finished without
/// doing anything again. Failed and terminated runs are not restarted.
/// </summary>
public sealed class OrchestrationJournal(EmbeddedOrchestrationLog log)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Committed(OrchestrationState state)
    {
        if (state.Name != nameof(ReindexArchive) || state.Status is null || state.OrchestrationInstance?.InstanceId is not { } id) return;
        log.Record(new OrchestrationRecord(id, state.Name, state.OrchestrationStatus.ToString(), state.Status, DateTimeOffset.UtcNow));
    }

    /// <summary>A run being created: its input is its first state.</summary>
    public void Created(ExecutionStartedEvent started)
    {
        if (started.Name != nameof(ReindexArchive) || started.Input is null || started.OrchestrationInstance?.InstanceId is not { } id) return;
        log.Record(new OrchestrationRecord(id, started.Name, nameof(OrchestrationStatus.Pending), started.Input, DateTimeOffset.UtcNow));
    }

    /// <summary>Schedules the journal's runs again; returns their instance ids.</summary>
    public async Task<IReadOnlyList<string>> ResumeAsync(DurableTaskClient client, CancellationToken ct)
    {
        var resumed = new List<string>();
        foreach (var run in log.Records.Where(r => r.Name == nameof(ReindexArchive)).OrderBy(r => r.CommittedAt))
        {
            if (run.RuntimeStatus is nameof(OrchestrationStatus.Failed) or nameof(OrchestrationStatus.Terminated) or nameof(OrchestrationStatus.Canceled))
                continue;
            if (await client.GetInstanceAsync(run.InstanceId, ct) is not null) continue;
            var state = JsonSerializer.Deserialize<ReindexState>(run.CustomStatus, Json)
                ?? throw new InvalidDataException($"re-index {run.InstanceId}: empty state in the orchestration log");
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(ReindexArchive), state, new StartOrchestrationOptions(run.InstanceId), ct);
            resumed.Add(run.InstanceId);
        }
        return resumed;
    }
}
