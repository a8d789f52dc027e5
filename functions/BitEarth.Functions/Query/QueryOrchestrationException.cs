namespace BitEarth.Functions.Query;

/// <summary>A query's fan-out orchestration ended other than completed (the client gets a 500 with this reason).</summary>
public sealed class QueryOrchestrationException(string message) : Exception(message);
