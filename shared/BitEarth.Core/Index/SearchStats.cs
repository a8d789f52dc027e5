namespace BitEarth.Core.Index;

/// <summary>Exact top-k with the work it took: how many shards were opened and how many codes compared.</summary>
public sealed record SearchResult(IReadOnlyList<Hit> Hits, int ShardsVisited, long CodesScanned);
