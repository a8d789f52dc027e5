using BitEarth.Core.Codes;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Tests.Residency;

/// <summary>Code records with random codes, as the ingestor would write them for an encoder of any length.</summary>
public static class SyntheticCodes
{
    private static readonly string[] Labels = ["Pastures", "Water bodies", "Coniferous forest", "Ünïcode/label", "Arable land"];

    public static CodeRecord Record(string encoder, string patchId, Modality modality, int bits, int prefixBits, Random random)
    {
        var words = new ulong[HammingCode.WordCount(bits)];
        for (int w = 0; w < words.Length; w++) words[w] = (ulong)random.NextInt64() ^ (ulong)random.NextInt64() << 1;
        if (bits % 64 != 0) words[^1] &= (1UL << (bits % 64)) - 1;
        var code = new HammingCode(bits, words);
        var labels = Labels.Where(_ => random.Next(3) == 0).ToArray();
        return new CodeRecord(CodeRecord.IdFor(encoder, patchId), CodeRecord.ShardFor(encoder, modality, code.Prefix(prefixBits)),
            patchId, encoder, modality, code.ToBase64(), labels, $"{modality}/{patchId}.bep");
    }

    public static List<CodeRecord> Records(string encoder, int count, int bits, int prefixBits, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => Record(encoder, $"P{seed}_{i}", i % 3 == 0 ? Modality.S1 : Modality.S2, bits, prefixBits, random))
            .ToList();
    }

    /// <summary>Records compare labels by reference; this compares them by content.</summary>
    public static void AssertSame(IEnumerable<CodeRecord> expected, IEnumerable<CodeRecord> actual)
    {
        var want = expected.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var got = actual.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(want.Count, got.Count);
        foreach (var (w, g) in want.Zip(got))
        {
            Assert.Equal(w.Labels, g.Labels);
            Assert.Equal(w with { Labels = g.Labels }, g);
        }
    }
}
