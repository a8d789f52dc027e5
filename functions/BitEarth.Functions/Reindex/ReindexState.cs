namespace BitEarth.Functions.Reindex;

/// <summary>
/// Re-index progress carried from page to page (ContinueAsNew keeps each generation's history short) and shown as
/// the orchestration's custom status.
/// </summary>
public sealed record ReindexState(string Encoder, int BatchSize, int PageSize, string? Cursor, int Indexed, int Quarantined, int Missing, bool Activated,
    int Skipped = 0);
