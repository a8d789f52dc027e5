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
    public static string IdFor(string encoder, string patchId) => $"{encoder}|{patchId}";

    /// <summary>Shard key: encoder version, modality and the code prefix as hex, e.g. "lsh64-s42|S2|0a".</summary>
    public static string ShardFor(string encoder, Modality modality, int prefix) => $"{encoder}|{modality}|{prefix:x2}";
}
