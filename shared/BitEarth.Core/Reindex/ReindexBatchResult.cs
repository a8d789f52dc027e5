namespace BitEarth.Core.Reindex;

/// <summary>Counts from one re-index activity; summed by the orchestration into its progress.</summary>
public sealed record ReindexBatchResult(int Indexed, int Quarantined, int Missing, int Skipped = 0);
