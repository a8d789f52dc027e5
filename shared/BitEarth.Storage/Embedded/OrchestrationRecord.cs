namespace BitEarth.Storage.Embedded;

/// <summary>An orchestration as of its last commit: its runtime status and its custom status (JSON), which is what it restarts from.</summary>
public sealed record OrchestrationRecord(string InstanceId, string Name, string RuntimeStatus, string CustomStatus, DateTimeOffset CommittedAt);
