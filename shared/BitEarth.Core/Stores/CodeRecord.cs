using System.Text.Json.Serialization;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Stores;

/// <summary>
/// A patch's code under one encoder. <see cref="Id"/> is deterministic (encoder + patch) so a redelivered blob
/// overwrites its record instead of adding a second; <see cref="Shard"/> is the partition key.
/// </summary>
public sealed record CodeRecord(
    string Id,
    string Shard,
    string PatchId,
    string Encoder,
    Modality Modality,
    string Code,
    IReadOnlyList<string> Labels,
    string Blob)
{
    /// <summary>
    /// When the store last wrote this record, in whole seconds since the Unix epoch (Cosmos DB's <c>_ts</c>): assigned by
    /// the store on every upsert and never decreasing within a shard, so a reader can ask for what changed since. Zero on
    /// a record that has not been written yet.
    /// </summary>
    public long Stamp { get; init; }

    /// <summary>
    /// The patch's code set (base64 codes) under a multi-code encoder (one code per region primitive), beside the
    /// whole-patch <see cref="Code"/> that shards and the resident index use; null for single-code encoders, and then
    /// left out of the stored JSON so their records stay as they were.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? RegionCodes { get; init; }

    public static string IdFor(string encoder, string patchId) => $"{encoder}|{patchId}";

    /// <summary>Shard key: encoder version, modality and the code prefix as hex, e.g. "lsh64-s42|S2|0a".</summary>
    public static string ShardFor(string encoder, Modality modality, int prefix) => $"{encoder}|{modality}|{prefix:x2}";

    /// <summary>Every shard key of an encoder: each modality's 2^<paramref name="prefixBits"/> prefixes, in that order.</summary>
    public static IEnumerable<string> ShardsFor(string encoder, int prefixBits) =>
        Enum.GetValues<Modality>().SelectMany(m => Enumerable.Range(0, 1 << prefixBits).Select(p => ShardFor(encoder, m, p)));
}
