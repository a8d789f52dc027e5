using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Models;

namespace BitEarth.IngestBench;

/// <summary>
/// The hashers measured, 64 bits each: LSH, or an untrained small CNN / ResNet-18 exported by the trainer's exporter
/// into an ONNX package (speed does not depend on the weights) and loaded as the service loads packages.
/// </summary>
internal static class Encoders
{
    public static BuiltEncoder Build(EncoderSpec spec, Patch sample, OnnxSessionFactory onnx)
    {
        const int bits = 64;
        if (spec.Name == "lsh") return new BuiltEncoder(LshHasher.Create(bits, 42));
        var bands = Bands.S2;
        var input = new ModalityEncoder(Modality.S2, "model-s2.onnx", bands, [.. bands.Select(_ => 1000f)], [.. bands.Select(_ => 1000f)], spec.InputSize);
        using HashEncoder network = spec.Name == "smallcnn" ? new SmallCnn(input, bits) : new ResNetEncoder(bands.Count, bits, 18);
        network.eval();
        var model = EncoderExport.ToOnnx(network, input);
        var manifest = new EncoderManifest($"bench-{spec.Name}-{spec.InputSize}", bits, [input], "untrained (benchmark)",
            new Dictionary<string, double>(), DateTimeOffset.UnixEpoch, SharedCodeSpace: false);
        var hasher = new OnnxHasher(new EncoderPackage(manifest, new Dictionary<string, byte[]> { [input.Model] = model }), onnx);
        _ = hasher.Hash(sample);
        return new BuiltEncoder(hasher);
    }
}

internal sealed record BuiltEncoder(IPatchHasher Hasher) : IDisposable
{
    public void Dispose() => (Hasher as IDisposable)?.Dispose();
}
