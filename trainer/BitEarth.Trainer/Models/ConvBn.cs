using BitEarth.Trainer.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace BitEarth.Trainer.Models;

/// <summary>Convolution without bias, batch normalisation, optional ReLU: the unit both presets are built from.</summary>
public sealed class ConvBn : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly bool _relu;
    private readonly int _stride, _padding;

    public ConvBn(int inChannels, int outChannels, int kernel, int stride, bool relu) : base(nameof(ConvBn))
    {
        _stride = stride;
        _padding = kernel / 2;
        _relu = relu;
        conv = Conv2d(inChannels, outChannels, kernel, stride: stride, padding: _padding, bias: false);
        bn = BatchNorm2d(outChannels, eps: Eps);
        RegisterComponents();
    }

    public const double Eps = 1e-5;

    /// <summary>Shape of the convolution weight [out, in, kernel, kernel].</summary>
    public long[] WeightShape => conv.weight!.shape;

    /// <summary>
    /// Sets the weights from a trained network: convolution weight (same shape), batch-norm scale and shift, running
    /// mean and variance.
    /// </summary>
    public void Load(Tensor weight, Tensor scale, Tensor shift, Tensor runningMean, Tensor runningVar)
    {
        using var noGrad = no_grad();
        conv.weight!.copy_(weight);
        bn.weight!.copy_(scale);
        bn.bias!.copy_(shift);
        bn.running_mean!.copy_(runningMean);
        bn.running_var!.copy_(runningVar);
    }

    /// <summary>A copy of the convolution weight.</summary>
    public Tensor Weight() => conv.weight!.detach().clone();

    public override Tensor forward(Tensor input)
    {
        var y = bn.forward(conv.forward(input));
        return _relu ? functional.relu(y) : y;
    }

    /// <summary>
    /// Exports as one Conv with the batch normalisation folded into its weights and bias. The fold is computed in
    /// managed arrays: the tensor arithmetic it replaced passed libtorch implicitly converted Scalars (eps, alpha), which
    /// the finaliser could free mid-call, and the export failed now and then ("Expected false to be true" in
    /// Scalar::toFloat).
    /// </summary>
    public string ExportTo(OnnxGraphBuilder graph, string input)
    {
        var weight = Values(conv.weight!);
        var (gamma, beta) = (Values(bn.weight!), Values(bn.bias!));
        var (mean, variance) = (Values(bn.running_mean!), Values(bn.running_var!));
        var perOutput = weight.Length / gamma.Length;
        var bias = new float[gamma.Length];
        for (int o = 0; o < gamma.Length; o++)
        {
            var scale = (float)(gamma[o] / Math.Sqrt(variance[o] + Eps));
            for (int i = o * perOutput; i < (o + 1) * perOutput; i++) weight[i] *= scale;
            bias[o] = beta[o] - mean[o] * scale;
        }
        using var folded = tensor(weight, conv.weight!.shape);
        using var shift = tensor(bias, [bias.Length]);
        var output = graph.Conv(input, folded, shift, _stride, _padding);
        return _relu ? graph.Relu(output) : output;
    }

    private static float[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return t.detach().cpu().contiguous().data<float>().ToArray();
    }
}
