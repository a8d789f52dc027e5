using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Models;

/// <summary>
/// The band indices the LSH descriptor also uses, per pixel, reduced to their spatial mean and standard deviation:
/// S2 NDVI, NDWI and NDBI ((a-b)/(a+b) of reflectance), S1 the cross-polarisation ratio VH-VV in dB; [N,C,H,W] ->
/// [N,2I]. A normalised difference of non-negative reflectances lies in [-1,1]; it is clipped there, so nodata or
/// input far outside the training statistics cannot blow it up. A ratio is invisible to per-band moments and hard for a small CNN to learn from a few dozen patches. The
/// network sees standardised bands, so two fixed 1x1 convolutions built from the training statistics give a-b and
/// a+b in physical units; the same convolutions are exported.
/// </summary>
public sealed class SpectralIndices : IDisposable
{
    /// <summary>Keeps the ratio finite where both bands are zero (nodata).</summary>
    public const float Eps = 1e-6f;

    private readonly Tensor _differenceWeight, _differenceBias, _sumWeight, _sumBias;
    private readonly bool _ratio;

    public SpectralIndices(ModalityEncoder input)
    {
        var pairs = Pairs(input);
        int channels = input.Bands.Count;
        var differenceWeight = new float[pairs.Length * channels];
        var sumWeight = new float[pairs.Length * channels];
        var differenceBias = new float[pairs.Length];
        var sumBias = new float[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            var (a, b) = pairs[i];
            // reflectance = standardised * std + mean
            differenceWeight[i * channels + a] += input.Std[a];
            differenceWeight[i * channels + b] -= input.Std[b];
            differenceBias[i] = input.Mean[a] - input.Mean[b];
            sumWeight[i * channels + a] += input.Std[a];
            sumWeight[i * channels + b] += input.Std[b];
            sumBias[i] = input.Mean[a] + input.Mean[b];
        }
        _differenceWeight = tensor(differenceWeight, [pairs.Length, channels, 1, 1]);
        _sumWeight = tensor(sumWeight, [pairs.Length, channels, 1, 1]);
        _differenceBias = tensor(differenceBias);
        _sumBias = tensor(sumBias);
        _ratio = input.Modality == Modality.S2;
    }

    /// <summary>Number of output features: mean and standard deviation of each index.</summary>
    public static int Width(ModalityEncoder input) => 2 * Pairs(input).Length;

    public Tensor Compute(Tensor input)
    {
        using var scope = NewDisposeScope();
        var difference = nn.functional.conv2d(input, _differenceWeight.to(input.device), _differenceBias.to(input.device));
        var index = _ratio
            ? (difference / (nn.functional.conv2d(input, _sumWeight.to(input.device), _sumBias.to(input.device)).abs() + Eps)).clamp(-1, 1)
            : difference;
        return BandMoments.Compute(index).MoveToOuterDisposeScope();
    }

    public string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var difference = graph.Conv(input, _differenceWeight, _differenceBias, 1, 0);
        var index = _ratio
            ? graph.Clip(graph.Div(difference, graph.Add(graph.Abs(graph.Conv(input, _sumWeight, _sumBias, 1, 0)), graph.Constant(Eps))), -1, 1)
            : difference;
        return BandMoments.ExportTo(graph, index);
    }

    /// <summary>(a, b) band positions in the encoder's band order; the same indices as SpectralDescriptor.</summary>
    private static (int A, int B)[] Pairs(ModalityEncoder input)
    {
        string[][] names = input.Modality == Modality.S2
            ? [["B08", "B04"], ["B03", "B08"], ["B11", "B08"]]
            : [["VH", "VV"]];
        return names.Select(p => (Position(input, p[0]), Position(input, p[1]))).ToArray();
    }

    private static int Position(ModalityEncoder input, string band)
    {
        for (int i = 0; i < input.Bands.Count; i++)
            if (string.Equals(input.Bands[i], band, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"The {input.Modality} encoder input lacks band {band}.", nameof(input));
    }

    public void Dispose()
    {
        _differenceWeight.Dispose();
        _differenceBias.Dispose();
        _sumWeight.Dispose();
        _sumBias.Dispose();
    }
}
