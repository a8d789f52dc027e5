using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;

namespace BitEarth.Onnx;

/// <summary>
/// Trained encoder packages: hasher files of kind "onnx" and the trainer's package zip as it wrote it (".zip" in the
/// encoders container), both loaded into an <see cref="OnnxHasher"/> on the host's execution provider.
/// </summary>
public sealed class OnnxHasherKind(OnnxSessionFactory sessions) : IHasherKind, IEncoderPackageFormat
{
    public OnnxHasherKind() : this(OnnxSessionFactory.Cpu) { }

    public string Name => OnnxHasher.Kind;

    public string Extension => ".zip";

    public IPatchHasher Load(Stream source) => LoadPackage(source);

    public IPatchHasher LoadPackage(Stream source)
    {
        try { return OnnxHasher.Load(source, sessions); }
        catch (EncoderPackageException e) { throw new HasherFormatException(e.Message, e); }
    }
}
