using BitEarth.Core.Hashing;

namespace BitEarth.Onnx;

/// <summary>Hasher files of trained encoder packages (kind "onnx", <see cref="OnnxHasher"/>).</summary>
public sealed class OnnxHasherKind : IHasherKind
{
    public string Name => OnnxHasher.Kind;

    public IPatchHasher Load(Stream source) => OnnxHasher.Load(source);
}
