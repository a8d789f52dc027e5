using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>
/// A frozen pretrained ResNet and a trained hash head: the backbone sees the modality's display bands (S2 B04/B03/B02,
/// the ImageNet filters unchanged; S1 VV/VH), the pooled outputs of the chosen stages (the last one's are the usual
/// features; earlier stages' describe finer texture) are averaged over the 8 flips/rotations of the patch (D4; land
/// cover has no orientation, and the average is what the head is trained on), and concatenated with
/// the per-band moments of every band (<see cref="BandMoments"/>) and the band indices' moments
/// (<see cref="SpectralIndices"/>); each feature is standardised with the training split's statistics, then fully
/// connected to the bits, sigmoid. The backbone never trains, so <see cref="Features"/> is computed once per patch and
/// only the head learns (<see cref="Training.HashTrainer"/>). The export computes all of it from the raw patch input.
/// </summary>
public sealed class FrozenFeatureEncoder : HashEncoder
{
    private readonly ResNetEncoder backbone;
    private readonly SpectralIndices indices;
    private readonly long[] _backboneBands;
    private readonly int[] _stages; // 0-based stage indices whose pooled outputs are features
    private readonly Linear head;
    private readonly Tensor _featureMean, _featureStd; // buffers: saved with the head in snapshots

    /// <param name="backbone">Pretrained network over <paramref name="backboneBands"/> (indices into the modality's bands).</param>
    /// <param name="featureStages">Stages (1..4) whose globally pooled outputs are concatenated, in this order.</param>
    public FrozenFeatureEncoder(ModalityEncoder input, ResNetEncoder backbone, IReadOnlyList<int> backboneBands, IReadOnlyList<int> featureStages, int bits)
        : base("ResNet18-ImageNet-frozen", bits)
    {
        this.backbone = backbone;
        backbone.Freeze(0);
        foreach (var p in backbone.parameters()) p.requires_grad = false;
        indices = new SpectralIndices(input);
        _backboneBands = [.. backboneBands.Select(b => (long)b)];
        if (featureStages.Count == 0 || featureStages.Any(s => s is < 1 or > ResNetEncoder.StageCount))
            throw new ArgumentOutOfRangeException(nameof(featureStages), string.Join(",", featureStages), $"Feature stages range over 1..{ResNetEncoder.StageCount}.");
        _stages = [.. featureStages.Select(s => s - 1)];
        BackboneWidth = _stages.Sum(s => 64 << s);
        FeatureWidth = BackboneWidth + 2 * input.Bands.Count + SpectralIndices.Width(input);
        head = Linear(FeatureWidth, bits);
        _featureMean = zeros(FeatureWidth);
        _featureStd = ones(FeatureWidth);
        RegisterComponents();
    }

    public int FeatureWidth { get; }

    /// <summary>Width of the concatenated pooled stage outputs.</summary>
    public int BackboneWidth { get; }

    /// <summary>The hash head is the only trainable part.</summary>
    public override IEnumerable<(IReadOnlyList<Parameter> Parameters, double LearningRateScale)> ParameterGroups(double backboneScale)
    {
        yield return (head.parameters().ToList(), 1);
    }

    /// <summary>Unstandardised features [N, FeatureWidth]: D4-averaged pooled stage outputs, band moments, index moments.</summary>
    public Tensor Features(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        backbone.eval();
        var display = input.index_select(1, tensor(_backboneBands, device: input.device));
        var views = cat(D4(display), 0);
        var stages = backbone.StageFeatures(views);
        var pooled = cat([.. _stages.Select(s => stages[s])], 1).reshape(8, input.shape[0], -1).mean([0]);
        return cat([pooled, BandMoments.Compute(input), indices.Compute(input)], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Sets the per-feature standardisation (training split statistics) the head sees.</summary>
    public void Standardise(Tensor features)
    {
        using var noGrad = no_grad();
        _featureMean.copy_(features.mean([0]));
        _featureStd.copy_(features.std(0).clamp_min(1e-4f));
    }

    /// <summary>Sigmoid outputs of the head on features from <see cref="Features"/>.</summary>
    public Tensor Head(Tensor features) => functional.sigmoid(head.forward((features - _featureMean) / _featureStd));

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return Head(Features(input)).MoveToOuterDisposeScope();
    }

    /// <summary>The 8 elements of D4 of a square batch: {id, flip H, flip W, both} x {id, transpose}.</summary>
    private static Tensor[] D4(Tensor x)
    {
        Tensor[] flips = [x, x.flip(2), x.flip(3), x.flip(2, 3)];
        return [.. flips, .. flips.Select(f => f.transpose(2, 3))];
    }

    public override string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var display = graph.Gather(input, _backboneBands, axis: 1);
        string[] flips = [display, graph.Reverse(display, [2]), graph.Reverse(display, [3]), graph.Reverse(display, [2, 3])];
        var views = graph.Concat([.. flips, .. flips.Select(f => graph.Transpose(f, [0, 1, 3, 2]))], 0);
        var stages = backbone.ExportStages(graph, views);
        var pooled = graph.Concat([.. _stages.Select(s => graph.Flatten(graph.GlobalAveragePool(stages[s])))], 1);
        pooled = graph.ReduceMean(graph.Reshape(pooled, [8, -1, BackboneWidth]), 0);
        var x = graph.Concat([pooled, BandMoments.ExportTo(graph, input), indices.ExportTo(graph, input)], 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // (f - m) / s then W·+b  =  f · (W / s)^T + (b - W (m / s))
        var weight = head.weight! / _featureStd.unsqueeze(0);
        var bias = head.bias! - weight.matmul(_featureMean);
        return graph.Sigmoid(graph.Gemm(x, weight, bias));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) indices.Dispose();
        base.Dispose(disposing);
    }
}
