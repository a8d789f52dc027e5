namespace BitEarth.Onnx;

/// <summary>An encoder package that cannot be loaded, with the reason.</summary>
public sealed class EncoderPackageException(string reason, Exception? inner = null) : Exception(reason, inner);
