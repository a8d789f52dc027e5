using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Pretrained;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Tests.Pretrained;

public class PretrainedBackboneTests
{
    private const int Side = 224;

    private static string ModelPath =>
        PretrainedBackbone.Find(out var missing) ?? throw new InvalidOperationException(missing);

    [Fact]
    public void Imported_backbone_computes_what_onnx_runtime_computes_on_the_package_file()
    {
        var backbone = PretrainedBackbone.Load(ModelPath);
        Assert.Equal([2, 2, 2, 3], backbone.BlocksPerStage);
        using var network = backbone.CreateBgr(bits: 16);
        network.eval();

        // B, G, R minus the mean image: about ±2 ImageNet standard deviations
        var rng = new Random(4);
        var pixels = Enumerable.Range(0, 2 * 3 * Side * Side).Select(_ => (float)(rng.NextDouble() * 240 - 120)).ToArray();
        float[] expected;
        using (var batch = tensor(pixels, [2, 3, Side, Side]))
        using (no_grad())
        using (var features = network.Features(batch))
            expected = features.data<float>().ToArray();

        using var session = new InferenceSession(ModelPath);
        var actual = new List<float>();
        for (int n = 0; n < 2; n++) // the file's input has batch size 1
        {
            var one = pixels.AsSpan(n * 3 * Side * Side, 3 * Side * Side).ToArray();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("Input247", new DenseTensor<float>(one, [1, 3, Side, Side]))]);
            actual.AddRange(results.Single(r => r.Name == "Pooling395_Output_0").AsEnumerable<float>());
        }

        Assert.Equal(2 * network.FeatureWidth, actual.Count);
        Assert.Equal(expected.Length, actual.Count);
        double worst = expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst <= 1e-4, $"largest difference {worst:E2} (features up to {actual.Max():F2})");
        Assert.True(actual.Count(v => v > 0.01) > 100, "the features are not all zero");
    }
}
