using System.Reflection;
using System.Runtime.ExceptionServices;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;

namespace BitEarth.Local.Durable;

/// <summary>
/// Passes every call to the orchestration service client it wraps, first telling the <see cref="OrchestrationJournal"/>
/// of each orchestration being created, so a re-index the HTTP call acknowledged is journaled before that call
/// returns, not only at its first commit.
/// </summary>
public class JournaledOrchestrationClient : DispatchProxy
{
    private IOrchestrationServiceClient _inner = null!;
    private OrchestrationJournal _journal = null!;

    /// <summary>The client interfaces of the in-memory service: the sidecar answers queries and purges through them.</summary>
    public interface IFullClient : IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient;

    public static IOrchestrationServiceClient Wrap<T>(T inner, OrchestrationJournal journal)
        where T : IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient
    {
        var proxy = Create<IFullClient, JournaledOrchestrationClient>();
        var self = (JournaledOrchestrationClient)(object)proxy;
        self._inner = inner;
        self._journal = journal;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        if (method.Name == nameof(IOrchestrationServiceClient.CreateTaskOrchestrationAsync)
            && args?.FirstOrDefault() is TaskMessage { Event: ExecutionStartedEvent started })
            _journal.Created(started);
        try { return method.Invoke(_inner, args); }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
