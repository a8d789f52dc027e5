namespace BitEarth.Core.Ingest;

/// <summary>What ingesting one blob did: indexed it, quarantined it (with the reason), or found it gone.</summary>
public sealed record IngestOutcome(string Blob, IngestStatus Status, string? PatchId = null, string? Reason = null);

public enum IngestStatus { Indexed, Quarantined, Missing }
