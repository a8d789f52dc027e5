using System.Text.Json.Serialization;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Query;

/// <summary>A query reduced to its code: what travels to every shard-group activity (no pixels).</summary>
public sealed record PreparedQuery(
    string Encoder,
    [property: JsonConverter(typeof(HammingCodeJsonConverter))] HammingCode Code,
    string? ExcludePatchId,
    IReadOnlyList<Modality> Modalities,
    int K);
