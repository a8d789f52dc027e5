using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>ResNet basic block (two 3x3) or bottleneck (1x1, 3x3, 1x1 x4), with a 1x1 projection when the shape changes.</summary>
public sealed class ResidualBlock : Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvBn> path;
    private readonly ConvBn? shortcut;

    public ResidualBlock(int inChannels, int width, int stride, bool bottleneck) : base(nameof(ResidualBlock))
    {
        path = ModuleList<ConvBn>();
        if (bottleneck)
        {
            OutChannels = width * 4;
            path.Add(new ConvBn(inChannels, width, 1, 1, relu: true));
            path.Add(new ConvBn(width, width, 3, stride, relu: true));
            path.Add(new ConvBn(width, OutChannels, 1, 1, relu: false));
        }
        else
        {
            OutChannels = width;
            path.Add(new ConvBn(inChannels, width, 3, stride, relu: true));
            path.Add(new ConvBn(width, width, 3, 1, relu: false));
        }
        if (stride != 1 || inChannels != OutChannels) shortcut = new ConvBn(inChannels, OutChannels, 1, stride, relu: false);
        RegisterComponents();
    }

    public int OutChannels { get; }

    /// <summary>The path's units, then the shortcut's if there is one.</summary>
    public IEnumerable<ConvBn> Units() => shortcut is null ? path : path.Append(shortcut);

    public override Tensor forward(Tensor input)
    {
        var x = input;
        foreach (var layer in path) x = layer.forward(x);
        return functional.relu(x + (shortcut is null ? input : shortcut.forward(input)));
    }

    public string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var x = input;
        foreach (var layer in path) x = layer.ExportTo(graph, x);
        return graph.Relu(graph.Add(x, shortcut is null ? input : shortcut.ExportTo(graph, input)));
    }
}
