using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Tests;

public class OnnxExportTests(TrainedPair trained) : IClassFixture<TrainedPair>
{
    [Theory]
    [InlineData(Modality.S1)]
    [InlineData(Modality.S2)]
    public void Onnx_runtime_matches_torchsharp_for_the_trained_small_cnn(Modality modality)
    {
        var network = trained.Encoders.Networks[modality];
        var input = trained.Encoders.Inputs[modality];
        AssertParity(network, EncoderExport.ToOnnx(network, input), input.Bands.Count, input.InputSize);
    }

    [Fact]
    public void Onnx_runtime_matches_torchsharp_for_resnet18()
    {
        random.manual_seed(3);
        using var network = new ResNetEncoder(2, 16, 18);
        RandomiseBatchNormStatistics(network);
        network.eval();
        var spec = new ModalityEncoder(Modality.S1, "m.onnx", Bands.S1, [0, 0], [1, 1], 40);
        AssertParity(network, EncoderExport.ToOnnx(network, spec), 2, 40);
    }

    [Fact]
    public void Onnx_runtime_matches_torchsharp_for_the_frozen_feature_encoder()
    {
        random.manual_seed(5);
        var spec = new ModalityEncoder(Modality.S2, "m.onnx", Bands.S2, [.. Bands.S2.Select(_ => 1000f)], [.. Bands.S2.Select(_ => 100f)], 32);
        using var network = FrozenEncoder(spec);
        AssertParity(network, EncoderExport.ToOnnx(network, spec), spec.Bands.Count, spec.InputSize);
    }

    [Fact]
    public void Frozen_features_are_the_same_for_every_flip_and_rotation_of_the_patch()
    {
        random.manual_seed(6);
        var spec = new ModalityEncoder(Modality.S2, "m.onnx", Bands.S2, [.. Bands.S2.Select(_ => 1000f)], [.. Bands.S2.Select(_ => 100f)], 32);
        using var network = FrozenEncoder(spec);
        using var patch = rand(2, spec.Bands.Count, 32, 32) * 4 - 2;
        using var features = network.Features(patch);
        foreach (var turned in new[] { patch.flip(3), patch.transpose(2, 3).flip(2), patch.flip(2, 3) })
        {
            using var other = network.Features(turned);
            Assert.True(allclose(features, other, rtol: 1e-4, atol: 1e-4), "features changed under a symmetry of the square");
        }
        using var shifted = network.Features(patch.roll(5, 3));
        Assert.False(allclose(features, shifted, rtol: 1e-4, atol: 1e-4), "features ignore the image");
    }

    /// <summary>A small random ResNet over B04/B03/B02 with real batch-norm statistics and a standardisation that is not the identity.</summary>
    private static FrozenFeatureEncoder FrozenEncoder(ModalityEncoder spec)
    {
        var backbone = new ResNetEncoder(3, 16, [1, 1, 1, 1], bottleneck: false, "small");
        RandomiseBatchNormStatistics(backbone);
        var network = new FrozenFeatureEncoder(spec, backbone, BitEarth.Trainer.Pretrained.PretrainedBackbone.DisplayBands(spec.Bands), [2, 3, 4], 16);
        using var sample = rand(8, spec.Bands.Count, spec.InputSize, spec.InputSize) * 4 - 2;
        using var features = network.Features(sample);
        network.Standardise(features);
        network.eval();
        return network;
    }

    private static void AssertParity(HashEncoder network, byte[] model, int channels, int size)
    {
        var rng = new Random(11);
        const int n = 6;
        var data = Enumerable.Range(0, n * channels * size * size).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        using var batch = tensor(data, [n, channels, size, size]);
        var expected = network.Infer(batch);

        using var session = new InferenceSession(model);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(EncoderPackage.InputName,
            new DenseTensor<float>(data, [n, channels, size, size]))]);
        var actual = results.Single(r => r.Name == EncoderPackage.OutputName).AsEnumerable<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), pair => Assert.InRange(Math.Abs(pair.First - pair.Second), 0, 1e-4));
        Assert.Equal(expected.Select(v => v > 0.5f), actual.Select(v => v > 0.5f));
    }

    /// <summary>Fresh batch norms have mean 0 / var 1, which would hide a wrong folding; give them real statistics.</summary>
    private static void RandomiseBatchNormStatistics(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (name, buffer) in module.named_buffers())
        {
            if (name.EndsWith("running_mean", StringComparison.Ordinal)) buffer.copy_(randn_like(buffer) * 0.1);
            if (name.EndsWith("running_var", StringComparison.Ordinal)) buffer.copy_(rand_like(buffer) + 0.5);
        }
        foreach (var (name, parameter) in module.named_parameters())
            if (name.Contains("bn.")) parameter.copy_(rand_like(parameter) + 0.5);
    }
}
