using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Tests;

namespace BitEarth.Onnx.Tests;

/// <summary>
/// The execution provider is chosen once per process and reported: CPU when asked, CUDA or a logged CPU fallback for
/// auto, CUDA or an error for cuda. Which branch runs depends on the machine (CI has no GPU: the CPU path).
/// </summary>
public class OnnxSessionFactoryTests(TrainedPair trained) : IClassFixture<TrainedPair>
{
    private EncoderPackage Package() => EncoderExport.ToPackage(trained.Encoders, "provider-v1", "labelled synthetic pairs", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Cpu_runs_on_cpu_and_hashes()
    {
        var factory = new OnnxSessionFactory(OnnxProvider.Cpu);
        Assert.Equal("cpu", factory.Provider);
        Assert.Null(factory.FallbackReason);
        using var hasher = new OnnxHasher(Package(), factory);
        Assert.Equal("cpu", hasher.Provider);
        Assert.Equal(32, hasher.Hash(trained.Patches[0]).Bits);
    }

    [Fact]
    public void Auto_uses_cuda_or_says_why_it_runs_on_cpu_and_codes_do_not_depend_on_it()
    {
        var auto = new OnnxSessionFactory(OnnxProvider.Auto);
        Assert.True(auto.Provider is "cuda" or "cpu", auto.Provider);
        if (auto.Provider == "cpu") Assert.False(string.IsNullOrWhiteSpace(auto.FallbackReason));
        else Assert.Null(auto.FallbackReason);
        using var onAuto = new OnnxHasher(Package(), auto);
        using var onCpu = new OnnxHasher(Package(), new OnnxSessionFactory(OnnxProvider.Cpu));
        var patches = trained.Patches.Take(30).ToList();
        Assert.Equal(onCpu.HashBatch(patches), onAuto.HashBatch(patches));
    }

    [Fact]
    public void Cuda_is_used_when_it_loads_and_is_an_error_with_the_reason_when_it_does_not()
    {
        var auto = new OnnxSessionFactory(OnnxProvider.Auto);
        if (auto.Provider == "cuda") Assert.Equal("cuda", new OnnxSessionFactory(OnnxProvider.Cuda).Provider);
        else
        {
            var error = Assert.Throws<InvalidOperationException>(() => new OnnxSessionFactory(OnnxProvider.Cuda));
            Assert.Contains("cuda", error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }
}
