using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.SnapshotBench;

/// <summary>Code records as the ingestor writes them: uniform random codes, 1-3 BigEarthNet labels, S1 and S2.</summary>
public static class SyntheticCodeRecords
{
    public static List<CodeRecord> Generate(string encoder, int count, int bits, int prefixBits, int seed)
    {
        var random = new Random(seed);
        var classes = LandCoverClasses.Names43;
        var records = new List<CodeRecord>(count);
        for (int i = 0; i < count; i++)
        {
            var words = new ulong[HammingCode.WordCount(bits)];
            for (int w = 0; w < words.Length; w++) words[w] = (ulong)random.NextInt64() ^ (ulong)random.NextInt64() << 1;
            if (bits % 64 != 0) words[^1] &= (1UL << (bits % 64)) - 1;
            var code = new HammingCode(bits, words);
            var modality = i % 2 == 0 ? Modality.S2 : Modality.S1;
            var patchId = $"{modality}_bench_{seed}_{i}";
            var labels = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => classes[random.Next(classes.Count)]).Distinct().ToArray();
            records.Add(new CodeRecord(CodeRecord.IdFor(encoder, patchId), CodeRecord.ShardFor(encoder, modality, code.Prefix(prefixBits)),
                patchId, encoder, modality, code.ToBase64(), labels, $"bigearthnet/{modality}/{patchId}.zip"));
        }
        return records;
    }
}
