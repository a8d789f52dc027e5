namespace BitEarth.Functions.Reindex;

/// <summary>
/// Re-index progress carried from page to page (ContinueAsNew keeps each generation's history short) and shown as
/// the orchestration's custom status. Every value of it is a point the run can restart from: the counts cover exactly
/// the pages before <see cref="Cursor"/>, and <see cref="Listed"/> says no page is left (a null cursor alone is also
/// the start).
/// </summary>
public sealed record ReindexState(string Encoder, int BatchSize, int PageSize, string? Cursor, int Indexed, int Quarantined, int Missing,
    bool Activated, bool Listed = false, int Skipped = 0);
