using BitEarth.Core.Patches;

namespace BitEarth.Trainer.Tests;

/// <summary>
/// Small paired S1/S2 patches whose pixels depend on their labels: each class has its own band signature and stripe
/// frequency, a patch mixes the classes of its 1-2 labels and adds noise. Learnable, but not trivially.
/// </summary>
public static class LabelledPatches
{
    public static readonly string[] Classes = ["Forest", "Water", "Urban", "Crops", "Pasture", "Wetland"];

    public static List<Patch> Generate(int pairs, int seed, int size = 16)
    {
        var rng = new Random(seed);
        var signatureRng = new Random(1234); // classes look the same in every generated set
        var s2Signatures = Classes.Select(_ => Enumerable.Range(0, Bands.S2.Count).Select(_ => 500f + 3000f * signatureRng.NextSingle()).ToArray()).ToArray();
        var s1Signatures = Classes.Select(_ => Enumerable.Range(0, Bands.S1.Count).Select(_ => -25f + 20f * signatureRng.NextSingle()).ToArray()).ToArray();
        var patches = new List<Patch>();
        for (int n = 0; n < pairs; n++)
        {
            var labels = Enumerable.Range(0, rng.Next(1, 3)).Select(_ => rng.Next(Classes.Length)).Distinct().ToArray();
            string s2Id = $"S2_{seed}_{n}", s1Id = $"S1_{seed}_{n}";
            var names = labels.Select(l => Classes[l]).ToArray();
            patches.Add(new Patch(s2Id, Modality.S2, size, size, Bands.S2, Pixels(rng, labels, s2Signatures, size, 300f), names) { PairedId = s1Id });
            patches.Add(new Patch(s1Id, Modality.S1, size, size, Bands.S1, Pixels(rng, labels, s1Signatures, size, 2f), names) { PairedId = s2Id });
        }
        return patches;
    }

    private static float[] Pixels(Random rng, int[] labels, float[][] signatures, int size, float noise)
    {
        int bands = signatures[0].Length;
        var pixels = new float[bands * size * size];
        for (int b = 0; b < bands; b++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    // left part of the patch shows the first class, the right part the last one
                    int label = labels[x * labels.Length / size];
                    float stripe = MathF.Sin((x + y) * (label + 1) * 0.4f);
                    pixels[b * size * size + y * size + x] = signatures[label][b] * (1 + 0.1f * stripe) + noise * (rng.NextSingle() - 0.5f) * 2;
                }
        return pixels;
    }
}
