using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.ServiceBench;

/// <summary>
/// Code records shaped like an ingested BigEarthNet archive (patch ids and blob names of its length, one to three
/// CORINE labels), with random codes: what fills the store before the service starts.
/// </summary>
public static class BenchArchive
{
    private static readonly string[] Labels =
    [
        "Arable land", "Pastures", "Coniferous forest", "Broad-leaved forest", "Mixed forest", "Water bodies",
        "Urban fabric", "Complex cultivation patterns", "Transitional woodland, shrub", "Marine waters",
    ];

    public static string PatchId(int i) => i % 2 == 0
        ? $"S2A_MSIL2A_20170613T101031_{i / 2 / 100:D5}_{i / 2 % 100:D2}"
        : $"S1A_IW_GRDH_1SDV_20170613T165043_{i / 2 / 100:D5}_{i / 2 % 100:D2}";

    public static CodeRecord Record(string encoder, int i, int bits, int prefixBits)
    {
        var random = new Random(i);
        var words = new ulong[HammingCode.WordCount(bits)];
        for (int w = 0; w < words.Length; w++) words[w] = (ulong)random.NextInt64() ^ (ulong)random.NextInt64() << 1;
        if (bits % 64 != 0) words[^1] &= (1UL << (bits % 64)) - 1;
        var code = new HammingCode(bits, words);
        var modality = i % 2 == 0 ? Modality.S2 : Modality.S1;
        var patchId = PatchId(i);
        string[] labels = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Labels[random.Next(Labels.Length)]).Distinct()];
        return new CodeRecord(CodeRecord.IdFor(encoder, patchId), CodeRecord.ShardFor(encoder, modality, code.Prefix(prefixBits)),
            patchId, encoder, modality, code.ToBase64(), labels, $"{modality}/{patchId}.bep");
    }
}
