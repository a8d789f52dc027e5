using System.Text.Json.Serialization;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;

namespace BitEarth.Functions.Query;

/// <summary>The JSON shape of a query answer (modality as "S1"/"S2").</summary>
public sealed record QueryResponse(string Encoder, IReadOnlyList<QueryResponse.Item> Results, int ShardsVisited,
    long CodesScanned, double ElapsedMs, string Path)
{
    /// <summary>How many exact searches the answer took: 1, or more when a filter widened the search (k, 2k, 4k, ...).</summary>
    public int Searches { get; init; } = 1;

    public sealed record Item(string PatchId, int Distance, IReadOnlyList<string> Labels, string Modality, string Blob)
    {
        public string Thumbnail => $"/api/patches/{Uri.EscapeDataString(PatchId)}/thumbnail.png";

        /// <summary>The details (with <c>"details": true</c>): acquisition time, tile, footprint and its bbox.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public DateTimeOffset? AcquiredAt { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Tile { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public double[]? Bbox { get; init; }

        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public double[][][]? Footprint { get; init; }
    }

    public static QueryResponse From(QueryAnswer answer, IReadOnlyDictionary<string, PatchRecord>? details, int searches) => new(answer.Encoder,
        answer.Results.Select(r => ItemOf(r, details?.GetValueOrDefault(r.PatchId))).ToList(),
        answer.ShardsVisited, answer.CodesScanned, Math.Round(answer.ElapsedMs, 3), answer.Path) { Searches = searches };

    private static Item ItemOf(QueryResult r, PatchRecord? patch) => new(r.PatchId, r.Distance, r.Labels, r.Modality.ToString(), r.Blob)
    {
        AcquiredAt = patch?.AcquiredAt,
        Tile = patch?.Tile,
        Bbox = patch?.Footprint?.Bounds.ToArray(),
        Footprint = patch?.Footprint?.ToPolygonCoordinates(),
    };
}
