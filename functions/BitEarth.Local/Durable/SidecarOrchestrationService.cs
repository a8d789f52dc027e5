using System.Reflection;
using System.Runtime.ExceptionServices;
using DurableTask.Core;

namespace BitEarth.Local.Durable;

/// <summary>
/// Adapts an orchestration service to the in-process sidecar, forwarding every call except two behaviours:
/// the in-memory service caps concurrent work items at the processor count and sleeps 500 ms when the cap is hit (a
/// 16-way fan-out takes seconds on 2 cores), so the caps can be raised; and the sidecar stops the service on shutdown
/// even when no worker ever connected to start it, or while the start is still running (seen under load), where
/// AzureStorageOrchestrationService throws a NullReferenceException on a thread-pool callback and takes the process
/// down: so stop is skipped when nothing started, and waits for a start in flight (skipped if that start failed).
/// Optionally it reports each orchestration commit once the inner service has taken it (the embedded backend's
/// <see cref="OrchestrationJournal"/> persists re-index runs from it; <see cref="OrchestrationCompletions"/> ends waits).
/// </summary>
public class SidecarOrchestrationService : DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private int? _concurrency;
    private Task? _start;
    private Action<OrchestrationState>? _committed;

    public static IOrchestrationService Wrap(IOrchestrationService inner, int? concurrency = null, Action<OrchestrationState>? committed = null)
    {
        var proxy = Create<IOrchestrationService, SidecarOrchestrationService>();
        var self = (SidecarOrchestrationService)(object)proxy;
        self._inner = inner;
        self._concurrency = concurrency;
        self._committed = committed;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        switch (method.Name)
        {
            case "get_MaxConcurrentTaskActivityWorkItems" or "get_MaxConcurrentTaskOrchestrationWorkItems" when _concurrency is { } limit:
                return limit;
            case nameof(IOrchestrationService.StartAsync):
                var start = (Task)Forward(method, args)!;
                Volatile.Write(ref _start, start);
                return start;
            case nameof(IOrchestrationService.CompleteTaskOrchestrationWorkItemAsync) when _committed is not null:
                return CompleteThenReportAsync((Task)Forward(method, args)!, args!);
            case nameof(IOrchestrationService.StopAsync):
                return Volatile.Read(ref _start) is { } started ? StopAfterAsync(started, method, args) : Task.CompletedTask;
            default:
                return Forward(method, args);
        }
    }

    private async Task CompleteThenReportAsync(Task complete, object?[] args)
    {
        await complete;
        // The state as committed; the runtime state stands in where a dispatcher passes none.
        var state = args.OfType<OrchestrationState>().FirstOrDefault()
            ?? args.OfType<OrchestrationRuntimeState>().Select(r => new OrchestrationState
            {
                Name = r.Name, Status = r.Status, OrchestrationStatus = r.OrchestrationStatus, OrchestrationInstance = r.OrchestrationInstance,
            }).FirstOrDefault();
        if (state is not null) _committed!(state);
    }

    private async Task StopAfterAsync(Task start, MethodInfo stop, object?[]? args)
    {
        try { await start; }
        catch (Exception) { return; } // nothing was started, so there is nothing to stop; the start's caller saw the error
        await (Task)Forward(stop, args)!;
    }

    private object? Forward(MethodInfo method, object?[]? args)
    {
        try { return method.Invoke(_inner, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
