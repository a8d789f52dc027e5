
using BitEarth.Core.Patches;
using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>The JSON shape of a query answer (modality as "S1"/"S2").</summary>
public sealed record QueryResponse(string Encoder, IReadOnlyList<QueryResponse.Item> Results, int ShardsVisited,
    long CodesScanned, double ElapsedMs, string Path)
{
    public sealed record Item(string PatchId, int Distance, IReadOnlyList<string> Labels, string Modality, string Blob);

    public static QueryResponse From(QueryAnswer answer) => new(answer.Encoder,
        answer.Results.Select(r => new Item(r.PatchId, r.Distance, r.Labels, r.Modality.ToString(), r.Blob)).ToList(),
        answer.ShardsVisited, answer.CodesScanned, Math.Round(answer.ElapsedMs, 3), answer.Path);
}
