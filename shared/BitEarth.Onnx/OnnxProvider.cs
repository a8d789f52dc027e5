namespace BitEarth.Onnx;

/// <summary>
/// The ONNX Runtime execution provider a host asks for (setting BitEarth:OnnxProvider): CUDA where a GPU is present
/// and CPU otherwise (<see cref="Auto"/>), or one of them explicitly.
/// </summary>
public enum OnnxProvider { Auto, Cuda, Cpu }
