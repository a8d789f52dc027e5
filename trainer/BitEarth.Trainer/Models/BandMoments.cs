using BitEarth.Trainer.Export;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Models;

/// <summary>
/// Per-band spatial mean and standard deviation of the (standardised) input, [N,C,H,W] -> [N,2C]: the spectral
/// signature that carries most land-cover signal and that a small CNN trained on few patches underuses. It feeds
/// the hash head beside the pooled convolutional features.
/// </summary>
public static class BandMoments
{
    /// <summary>Keeps the square root differentiable on constant bands.</summary>
    public const float Eps = 1e-6f;

    public static Tensor Compute(Tensor input)
    {
        var mean = input.mean([2, 3], keepdim: true);
        var centred = input - mean;
        var std = (centred * centred).mean([2, 3]).add(Eps).sqrt();
        return cat([mean.flatten(1), std], 1);
    }

    public static string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var mean = graph.GlobalAveragePool(input);
        var centred = graph.Sub(input, mean);
        var variance = graph.GlobalAveragePool(graph.Mul(centred, centred));
        var std = graph.Sqrt(graph.Add(variance, graph.Constant(Eps)));
        return graph.Concat([graph.Flatten(mean), graph.Flatten(std)], 1);
    }
}
