using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>
/// CPU preset: three 3x3 conv blocks (32, 64, 128 channels, 2x2 max-pool after the first two) and global average
/// pooling, concatenated with the input's per-band mean and standard deviation (<see cref="BandMoments"/>) and the
/// moments of its band indices (<see cref="SpectralIndices"/>), fully connected to the bits, sigmoid. Trains on 2 cores
/// in minutes at 32x32 input.
/// </summary>
public sealed class SmallCnn : HashEncoder
{
    private static readonly int[] Widths = [32, 64, 128];

    private readonly ModuleList<ConvBn> blocks;
    private readonly BatchNorm1d features;
    private readonly Linear head;
    private readonly SpectralIndices indices;

    public SmallCnn(ModalityEncoder input, int bits) : base(nameof(SmallCnn), bits)
    {
        int channels = input.Bands.Count;
        indices = new SpectralIndices(input);
        int spectralWidth = 2 * channels + SpectralIndices.Width(input);
        blocks = ModuleList<ConvBn>();
        int inChannels = channels;
        foreach (int width in Widths)
        {
            blocks.Add(new ConvBn(inChannels, width, 3, 1, relu: true));
            inChannels = width;
        }
        features = BatchNorm1d(inChannels + spectralWidth, eps: ConvBn.Eps);
        head = Linear(inChannels + spectralWidth, bits);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var spectral = cat([BandMoments.Compute(input), indices.Compute(input)], 1);
        var x = input;
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].forward(x);
            if (i < blocks.Count - 1) x = functional.max_pool2d(x, 2, 2);
        }
        x = cat([functional.adaptive_avg_pool2d(x, 1).flatten(1), spectral], 1);
        return functional.sigmoid(head.forward(features.forward(x))).MoveToOuterDisposeScope();
    }

    public override string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var x = input;
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].ExportTo(graph, x);
            if (i < blocks.Count - 1) x = graph.MaxPool(x, 2, 2, 0);
        }
        x = graph.Concat([graph.Flatten(graph.GlobalAveragePool(x)), BandMoments.ExportTo(graph, input), indices.ExportTo(graph, input)], 1);
        return graph.Sigmoid(ExportHead(graph, x));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) indices.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The feature batch normalisation folded into the fully connected layer: one Gemm.</summary>
    private string ExportHead(OnnxGraphBuilder graph, string input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scale = features.weight! / sqrt(features.running_var! + ConvBn.Eps);
        var shift = features.bias! - features.running_mean! * scale;
        var weight = head.weight! * scale.unsqueeze(0);
        var bias = head.bias! + head.weight!.matmul(shift);
        return graph.Gemm(input, weight, bias);
    }
}
