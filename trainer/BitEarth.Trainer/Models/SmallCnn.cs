using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>
/// CPU preset: three 3x3 conv blocks (32, 64, 128 channels, 2x2 max-pool after the first two), global average
/// pooling, fully connected to the bits, sigmoid. Trains on 2 cores in minutes at 32x32 input.
/// </summary>
public sealed class SmallCnn : HashEncoder
{
    private static readonly int[] Widths = [32, 64, 128];

    private readonly ModuleList<ConvBn> blocks;
    private readonly Linear head;

    public SmallCnn(int channels, int bits) : base(nameof(SmallCnn), bits)
    {
        blocks = ModuleList<ConvBn>();
        int inChannels = channels;
        foreach (int width in Widths)
        {
            blocks.Add(new ConvBn(inChannels, width, 3, 1, relu: true));
            inChannels = width;
        }
        head = Linear(inChannels, bits);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input;
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].forward(x);
            if (i < blocks.Count - 1) x = functional.max_pool2d(x, 2, 2);
        }
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return functional.sigmoid(head.forward(x)).MoveToOuterDisposeScope();
    }

    public override string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var x = input;
        for (int i = 0; i < blocks.Count; i++)
        {
            x = blocks[i].ExportTo(graph, x);
            if (i < blocks.Count - 1) x = graph.MaxPool(x, 2, 2, 0);
        }
        x = graph.Flatten(graph.GlobalAveragePool(x));
        return graph.Sigmoid(graph.Gemm(x, head.weight!, head.bias!));
    }
}
