using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>
/// A frozen pretrained ResNet and a trained hash head: the backbone sees the modality's display bands (S2 B04/B03/B02,
/// the ImageNet filters unchanged; S1 VV/VH), its pooled features are averaged over the 8 flips/rotations of the
/// patch (D4; land cover has no orientation, and the average is what the head is trained on), and concatenated with
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
    private readonly Linear head;
    private readonly Tensor _featureMean, _featureStd; // buffers: saved with the head in snapshots

    /// <param name="backbone">Pretrained network over <paramref name="backboneBands"/> (indices into the modality's bands).</param>
    public FrozenFeatureEncoder(ModalityEncoder input, ResNetEncoder backbone, IReadOnlyList<int> backboneBands, int bits)
        : base("ResNet18-ImageNet-frozen", bits)
    {
        this.backbone = backbone;
        backbone.Freeze(0);
        foreach (var p in backbone.parameters()) p.requires_grad = false;
        indices = new SpectralIndices(input);
        _backboneBands = [.. backboneBands.Select(b => (long)b)];
        FeatureWidth = backbone.FeatureWidth + 2 * input.Bands.Count + SpectralIndices.Width(input);
        head = Linear(FeatureWidth, bits);
        _featureMean = zeros(FeatureWidth);
        _featureStd = ones(FeatureWidth);
        RegisterComponents();
    }

    public int FeatureWidth { get; }

    /// <summary>The hash head is the only trainable part.</summary>
    public override IEnumerable<(IReadOnlyList<Parameter> Parameters, double LearningRateScale)> ParameterGroups(double backboneScale)
    {
        yield return (head.parameters().ToList(), 1);
    }

    /// <summary>Unstandardised features [N, FeatureWidth]: D4-averaged pooled backbone features, band moments, index moments.</summary>
    public Tensor Features(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        backbone.eval();
        var display = input.index_select(1, tensor(_backboneBands, device: input.device));
        var views = cat(D4(display), 0);
        var pooled = backbone.Features(views).reshape(8, input.shape[0], -1).mean([0]);
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
        var pooled = graph.Flatten(graph.GlobalAveragePool(backbone.ExportBackbone(graph, views)));
        pooled = graph.ReduceMean(graph.Reshape(pooled, [8, -1, backbone.FeatureWidth]), 0);
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
