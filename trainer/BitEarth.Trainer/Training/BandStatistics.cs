using BitEarth.Core.Patches;

namespace BitEarth.Trainer.Training;

/// <summary>Per-band mean and standard deviation over the training split, in the canonical band order of a modality.</summary>
public static class BandStatistics
{
    public static (float[] Mean, float[] Std) Compute(IEnumerable<Patch> patches, IReadOnlyList<string> bands)
    {
        var sum = new double[bands.Count];
        var squares = new double[bands.Count];
        var count = new long[bands.Count];
        foreach (var patch in patches)
            for (int b = 0; b < bands.Count; b++)
            {
                int source = FindBand(patch, bands[b]);
                foreach (float v in patch.Band(source))
                {
                    if (!float.IsFinite(v)) continue;
                    sum[b] += v;
                    squares[b] += (double)v * v;
                    count[b]++;
                }
            }
        var mean = new float[bands.Count];
        var std = new float[bands.Count];
        for (int b = 0; b < bands.Count; b++)
        {
            double m = count[b] == 0 ? 0 : sum[b] / count[b];
            double variance = count[b] == 0 ? 1 : Math.Max(squares[b] / count[b] - m * m, 0);
            mean[b] = (float)m;
            std[b] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (mean, std);
    }

    private static int FindBand(Patch patch, string band)
    {
        for (int i = 0; i < patch.BandCount; i++)
            if (string.Equals(patch.BandNames[i], band, StringComparison.OrdinalIgnoreCase)) return i;
        throw new PatchFormatException(patch.Id, $"lacks band {band}");
    }
}
