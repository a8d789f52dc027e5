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

    [Fact]
    public void Without_the_package_files_the_trainer_says_where_they_come_from_and_trains_from_scratch()
    {
        var empty = Directory.CreateTempSubdirectory("bitearth-nomodel-");
        try
        {
            Assert.Null(PretrainedBackbone.Find(out var missing, empty.FullName));
            Assert.Contains(Path.Combine(empty.FullName, PretrainedBackbone.RelativePath), missing);
            Assert.Contains("Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1", missing);
            Assert.EndsWith("training from scratch", missing);
        }
        finally { empty.Delete(recursive: true); }
    }

    [Fact]
    public void A_multispectral_network_from_the_package_hashes_s2_patches_and_freezing_leaves_the_last_stage_and_head_trainable()
    {
        var backbone = PretrainedBackbone.Load(ModelPath);
        var spec = new ModalityEncoder(Modality.S2, "m.onnx", Bands.S2, new float[12], Enumerable.Repeat(1f, 12).ToArray(), 64);
        using var network = backbone.Create(spec, bits: 32);
        network.Freeze(1);
        var groups = network.ParameterGroups(0.1).ToList();
        Assert.Equal([0.1, 1.0], groups.Select(g => g.LearningRateScale));
        // the trainable backbone is the last stage: 3 blocks of two units (conv + batch norm scale/shift), plus the shortcut unit
        Assert.Equal((3 * 2 + 1) * 3, groups[0].Parameters.Count);
        network.train();
        Assert.False(network.Stem.training);
        using var input = randn(2, 12, 64, 64);
        using var output = network.forward(input);
        Assert.Equal(new long[] { 2, 32 }, output.shape);
    }
}
