using BitEarth.Trainer.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Models;

/// <summary>A network mapping [N,C,H,W] patches to [N,Bits] sigmoid outputs; code bit = output > 0.5.</summary>
public abstract class HashEncoder(string name, int bits) : nn.Module<Tensor, Tensor>(name)
{
    public int Bits { get; } = bits;

    /// <summary>Appends this network, in inference form, to an ONNX graph; returns the name of the output value.</summary>
    public abstract string ExportTo(OnnxGraphBuilder graph, string input);

    /// <summary>Parameters by learning-rate group: each with the factor its rate is scaled by. Default: one group at the full rate.</summary>
    public virtual IEnumerable<(IReadOnlyList<TorchSharp.Modules.Parameter> Parameters, double LearningRateScale)> ParameterGroups(double backboneScale)
    {
        yield return (parameters().ToList(), 1);
    }

    /// <summary>Sigmoid outputs in inference mode, row-major [N, Bits], computed on the network's device in chunks.</summary>
    public float[] Infer(Tensor input, int chunk = 256)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = training;
        eval();
        var device = parameters().First().device;
        var output = new List<float>();
        for (long start = 0; start < input.shape[0]; start += chunk)
        {
            var part = input.narrow(0, start, Math.Min(chunk, input.shape[0] - start)).to(device);
            output.AddRange(forward(part).cpu().contiguous().data<float>().ToArray());
        }
        if (wasTraining) train();
        return output.ToArray();
    }
}
