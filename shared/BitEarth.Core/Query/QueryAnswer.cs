using BitEarth.Core.Patches;

namespace BitEarth.Core.Query;

/// <summary>The ranked answer to a query, ordered by distance then patch id, with the work it took.</summary>
public sealed record QueryAnswer(string Encoder, IReadOnlyList<QueryResult> Results, int ShardsVisited, long CodesScanned,
    double ElapsedMs, string Path);

public sealed record QueryResult(string PatchId, int Distance, IReadOnlyList<string> Labels, Modality Modality, string Blob);
