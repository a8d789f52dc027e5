using BitEarth.Core.Hashing;

namespace BitEarth.Onnx.Pretrained;

/// <summary>Hasher files of the pretrained ResNet-18 + ITQ encoder (kind "resnet18-itq", <see cref="ResNetItqHasher"/>).</summary>
public sealed class ResNetItqHasherKind : IHasherKind
{
    public string Name => ResNetItqHasher.Kind;

    public IPatchHasher Load(Stream source) => ResNetItqHasher.Load(source);
}
