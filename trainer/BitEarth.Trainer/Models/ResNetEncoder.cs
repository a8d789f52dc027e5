using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>
/// GPU preset: ResNet-18/34 (basic blocks) or ResNet-50 (bottlenecks) with the stem taking the modality's channels,
/// global average pooling and a fully connected hashing head with sigmoid.
/// </summary>
public sealed class ResNetEncoder : HashEncoder
{
    private readonly ConvBn stem;
    private readonly ModuleList<ResidualBlock> stages;
    private readonly Linear head;

    public static readonly IReadOnlyList<int> Depths = [18, 34, 50];

    public ResNetEncoder(int channels, int bits, int depth) : base($"ResNet{depth}", bits)
    {
        (int[] counts, bool bottleneck) = depth switch
        {
            18 => (new[] { 2, 2, 2, 2 }, false),
            34 => (new[] { 3, 4, 6, 3 }, false),
            50 => (new[] { 3, 4, 6, 3 }, true),
            _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "ResNet depth must be 18, 34 or 50."),
        };
        stem = new ConvBn(channels, 64, 7, 2, relu: true);
        stages = ModuleList<ResidualBlock>();
        int inChannels = 64;
        for (int s = 0; s < counts.Length; s++)
        {
            int width = 64 << s;
            for (int b = 0; b < counts[s]; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                var block = new ResidualBlock(inChannels, width, stride, bottleneck);
                stages.Add(block);
                inChannels = block.OutChannels;
            }
        }
        head = Linear(inChannels, bits);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.max_pool2d(stem.forward(input), 3, 2, 1);
        foreach (var block in stages) x = block.forward(x);
        x = functional.adaptive_avg_pool2d(x, 1).flatten(1);
        return functional.sigmoid(head.forward(x)).MoveToOuterDisposeScope();
    }

    public override string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var x = graph.MaxPool(stem.ExportTo(graph, input), 3, 2, 1);
        foreach (var block in stages) x = block.ExportTo(graph, x);
        x = graph.Flatten(graph.GlobalAveragePool(x));
        return graph.Sigmoid(graph.Gemm(x, head.weight!, head.bias!));
    }
}
