namespace BitEarth.Storage.Embedded;

/// <summary>A record of an embedded log set aside at open, and why; its bytes are in the log's quarantine file.</summary>
public sealed record QuarantinedRecord(string File, int Line, long Offset, string Reason, DateTimeOffset At);
