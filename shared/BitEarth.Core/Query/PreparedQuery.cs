using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Query;

/// <summary>A query reduced to its code: what travels to every shard-group activity (no pixels; the code as base64 in JSON).</summary>
public sealed record PreparedQuery(string Encoder, HammingCode Code, string? ExcludePatchId, IReadOnlyList<Modality> Modalities, int K)
{
    /// <summary>The query's code set under a multi-code encoder (searched by <see cref="MultiCodeSearch"/>); null otherwise.</summary>
    public IReadOnlyList<HammingCode>? RegionCodes { get; init; }
}
