using System.Reflection;
using System.Runtime.ExceptionServices;
using DurableTask.Core;

namespace BitEarth.Local.Durable;

/// <summary>
/// Adapts an orchestration service to the in-process sidecar, forwarding every call except two behaviours:
/// the in-memory service caps concurrent work items at the processor count and sleeps 500 ms when the cap is hit (a
/// 16-way fan-out takes seconds on 2 cores), so the caps can be raised; and the sidecar stops the service on shutdown
/// even when no worker ever connected to start it, where AzureStorageOrchestrationService throws a
/// NullReferenceException on a thread-pool callback and takes the process down, so stop is skipped until started.
/// </summary>
public class SidecarOrchestrationService : DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private int? _concurrency;
    private int _started;

    public static IOrchestrationService Wrap(IOrchestrationService inner, int? concurrency = null)
    {
        var proxy = Create<IOrchestrationService, SidecarOrchestrationService>();
        var self = (SidecarOrchestrationService)(object)proxy;
        self._inner = inner;
        self._concurrency = concurrency;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args)
    {
        switch (method!.Name)
        {
            case "get_MaxConcurrentTaskActivityWorkItems" or "get_MaxConcurrentTaskOrchestrationWorkItems" when _concurrency is { } limit:
                return limit;
            case nameof(IOrchestrationService.StartAsync):
                Interlocked.Exchange(ref _started, 1);
                return Forward(method, args);
            case nameof(IOrchestrationService.StopAsync) when Volatile.Read(ref _started) == 0:
                return Task.CompletedTask;
            default:
                return Forward(method, args);
        }
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
