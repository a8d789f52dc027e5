using System.Reflection;
using DurableTask.Core;

namespace BitEarth.Local.Durable;

/// <summary>
/// The in-memory orchestration service caps concurrent work items at the processor count and sleeps 500 ms when the
/// cap is hit, which turns a 16-way fan-out into seconds on a 2-core machine. This proxy forwards every call and only
/// raises the two caps the dispatcher reads.
/// </summary>
public class ConcurrencyOverride : DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private int _limit;

    public static IOrchestrationService Wrap(IOrchestrationService inner, int limit)
    {
        var proxy = Create<IOrchestrationService, ConcurrencyOverride>();
        var self = (ConcurrencyOverride)(object)proxy;
        self._inner = inner;
        self._limit = limit;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? method, object?[]? args) => method!.Name switch
    {
        "get_MaxConcurrentTaskActivityWorkItems" or "get_MaxConcurrentTaskOrchestrationWorkItems" => _limit,
        _ => Forward(method, args),
    };

    private object? Forward(MethodInfo method, object?[]? args)
    {
        try { return method.Invoke(_inner, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
