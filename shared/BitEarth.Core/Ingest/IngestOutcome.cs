namespace BitEarth.Core.Ingest;

/// <summary>
/// What ingesting one blob did: indexed it, quarantined it (with the reason), found it gone, or (re-index) skipped it:
/// a patch of a modality the new encoder has no model for stays where it is.
/// </summary>
public sealed record IngestOutcome(string Blob, IngestStatus Status, string? PatchId = null, string? Reason = null);

public enum IngestStatus { Indexed, Quarantined, Missing, Skipped }
