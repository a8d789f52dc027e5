using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>
/// ResNet preset: ResNet-18/34 (basic blocks) or ResNet-50 (bottlenecks) with the stem taking the modality's channels,
/// global average pooling and a fully connected hashing head with sigmoid. The backbone can start from pretrained
/// weights (<see cref="Pretrained.PretrainedBackbone"/>) and be partly frozen (<see cref="Freeze"/>).
/// </summary>
public sealed class ResNetEncoder : HashEncoder
{
    private readonly ConvBn stem;
    private readonly ModuleList<ResidualBlock> stages;
    private readonly Linear head;
    private readonly int[] _stageOfBlock;
    private int _trainableStages = StageCount + 1;

    public static readonly IReadOnlyList<int> Depths = [18, 34, 50];

    /// <summary>Residual stages (64, 128, 256, 512 channels wide, basic blocks).</summary>
    public const int StageCount = 4;

    public ResNetEncoder(int channels, int bits, int depth) : this(channels, bits, StandardBlocks(depth), depth == 50, $"ResNet{depth}")
    {
    }

    /// <summary>A ResNet with <paramref name="blocksPerStage"/> blocks in each of the four stages.</summary>
    public ResNetEncoder(int channels, int bits, IReadOnlyList<int> blocksPerStage, bool bottleneck, string name) : base(name, bits)
    {
        if (blocksPerStage.Count != StageCount || blocksPerStage.Any(b => b < 1))
            throw new ArgumentException($"A ResNet has {StageCount} stages of at least one block each.", nameof(blocksPerStage));
        BlocksPerStage = blocksPerStage;
        stem = new ConvBn(channels, 64, 7, 2, relu: true);
        stages = ModuleList<ResidualBlock>();
        var stageOfBlock = new List<int>();
        int inChannels = 64;
        for (int s = 0; s < StageCount; s++)
        {
            int width = 64 << s;
            for (int b = 0; b < blocksPerStage[s]; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                var block = new ResidualBlock(inChannels, width, stride, bottleneck);
                stages.Add(block);
                stageOfBlock.Add(s);
                inChannels = block.OutChannels;
            }
        }
        _stageOfBlock = [.. stageOfBlock];
        FeatureWidth = inChannels;
        head = Linear(inChannels, bits);
        RegisterComponents();
    }

    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>Width of the pooled backbone features that feed the hash head.</summary>
    public int FeatureWidth { get; }

    /// <summary>The stem's convolution + batch norm.</summary>
    public ConvBn Stem => stem;

    /// <summary>Every convolution + batch norm of the backbone in module order: stem, then per block its path and shortcut.</summary>
    public IEnumerable<ConvBn> Units() => new[] { stem }.Concat(stages.SelectMany(b => b.Units()));

    /// <summary>
    /// Keeps only the last <paramref name="trainableStages"/> stages trainable (0: the hash head alone, 4: all
    /// stages, 5: the stem too). Frozen layers get no gradient and keep their batch-norm statistics (eval mode).
    /// </summary>
    public void Freeze(int trainableStages)
    {
        if (trainableStages is < 0 or > StageCount + 1)
            throw new ArgumentOutOfRangeException(nameof(trainableStages), trainableStages, $"Trainable stages range over 0..{StageCount + 1}.");
        _trainableStages = trainableStages;
        foreach (var p in stem.parameters()) p.requires_grad = IsTrainable(-1);
        for (int i = 0; i < stages.Count; i++)
            foreach (var p in stages[i].parameters()) p.requires_grad = IsTrainable(_stageOfBlock[i]);
        train(training);
    }

    /// <summary>Stage -1 is the stem.</summary>
    private bool IsTrainable(int stage) => stage >= StageCount - _trainableStages;

    public override void train(bool train = true)
    {
        base.train(train);
        if (!IsTrainable(-1)) stem.eval();
        for (int i = 0; i < stages.Count; i++)
            if (!IsTrainable(_stageOfBlock[i])) stages[i].eval();
    }

    /// <summary>Backbone parameters that train (at <paramref name="backboneScale"/> of the learning rate) and the head's.</summary>
    public override IEnumerable<(IReadOnlyList<Parameter> Parameters, double LearningRateScale)> ParameterGroups(double backboneScale)
    {
        var backbone = stem.parameters().Concat(stages.parameters()).Where(p => p.requires_grad).ToList();
        if (backbone.Count > 0) yield return (backbone, backboneScale);
        yield return (head.parameters().ToList(), 1);
    }

    /// <summary>Globally pooled backbone features [N, FeatureWidth].</summary>
    public Tensor Features(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.max_pool2d(stem.forward(input), 3, 2, 1);
        foreach (var block in stages) x = block.forward(x);
        return functional.adaptive_avg_pool2d(x, 1).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Globally pooled output of every stage [N, 64·2^s] (s = 0..3, the last is <see cref="Features"/>): earlier stages
    /// see texture at finer scales, which land cover is made of.
    /// </summary>
    public Tensor[] StageFeatures(Tensor input)
    {
        using var scope = NewDisposeScope();
        var pooled = new Tensor[StageCount];
        var x = functional.max_pool2d(stem.forward(input), 3, 2, 1);
        for (int i = 0; i < stages.Count; i++)
        {
            x = stages[i].forward(x);
            if (i == stages.Count - 1 || _stageOfBlock[i + 1] != _stageOfBlock[i])
                pooled[_stageOfBlock[i]] = functional.adaptive_avg_pool2d(x, 1).flatten(1).MoveToOuterDisposeScope();
        }
        return pooled;
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return functional.sigmoid(head.forward(Features(input))).MoveToOuterDisposeScope();
    }

    public override string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var x = graph.Flatten(graph.GlobalAveragePool(ExportBackbone(graph, input)));
        return graph.Sigmoid(graph.Gemm(x, head.weight!, head.bias!));
    }

    /// <summary>Stem, max pool and the residual stages (before pooling), as <see cref="Features"/> computes them.</summary>
    public string ExportBackbone(OnnxGraphBuilder graph, string input)
    {
        var x = graph.MaxPool(stem.ExportTo(graph, input), 3, 2, 1);
        foreach (var block in stages) x = block.ExportTo(graph, x);
        return x;
    }

    /// <summary>Every stage's output before pooling, as <see cref="StageFeatures"/> pools them.</summary>
    public string[] ExportStages(OnnxGraphBuilder graph, string input)
    {
        var outputs = new string[StageCount];
        var x = graph.MaxPool(stem.ExportTo(graph, input), 3, 2, 1);
        for (int i = 0; i < stages.Count; i++)
        {
            x = stages[i].ExportTo(graph, x);
            outputs[_stageOfBlock[i]] = x;
        }
        return outputs;
    }

    private static int[] StandardBlocks(int depth) => depth switch
    {
        18 => [2, 2, 2, 2],
        34 or 50 => [3, 4, 6, 3],
        _ => throw new ArgumentOutOfRangeException(nameof(depth), depth, "ResNet depth must be 18, 34 or 50."),
    };
}
