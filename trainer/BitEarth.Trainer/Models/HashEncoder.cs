using BitEarth.Trainer.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Models;

/// <summary>A network mapping [N,C,H,W] patches to [N,Bits] sigmoid outputs; code bit = output > 0.5.</summary>
public abstract class HashEncoder(string name, int channels, int bits) : nn.Module<Tensor, Tensor>(name)
{
    public int Channels { get; } = channels;

    public int Bits { get; } = bits;

    /// <summary>Appends this network, in inference form, to an ONNX graph; returns the name of the output value.</summary>
    public abstract string ExportTo(OnnxGraphBuilder graph, string input);

    /// <summary>Sigmoid outputs for a batch in inference mode, row-major [N, Bits].</summary>
    public float[] Infer(Tensor input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = training;
        eval();
        var output = forward(input).contiguous().data<float>().ToArray();
        if (wasTraining) train();
        return output;
    }
}
