namespace BitEarth.Functions.Query;

/// <summary>A query's fan-out orchestration ended other than completed (the client gets a 500 with a reference, not this reason).</summary>
public sealed class QueryOrchestrationException(string instanceId, string message) : Exception(message)
{
    /// <summary>The failed orchestration: the reference a client is given, the details staying in the logs.</summary>
    public string InstanceId { get; } = instanceId;
}
