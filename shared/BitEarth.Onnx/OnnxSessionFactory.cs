using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace BitEarth.Onnx;

/// <summary>
/// Creates every inference session of a process on one execution provider, chosen once: CUDA when asked for (or, with
/// <see cref="OnnxProvider.Auto"/>, when its provider library and a GPU load), else CPU. Auto falls back to CPU with a
/// log line, also when CUDA appeared to load but a session on it cannot be created; an explicit CUDA request that
/// cannot be met is an error, never a silent CPU run.
/// </summary>
public sealed partial class OnnxSessionFactory
{
    private readonly ILogger _logger;
    private volatile bool _cuda;

    public OnnxSessionFactory(OnnxProvider requested = OnnxProvider.Cpu, ILogger<OnnxSessionFactory>? logger = null)
    {
        Requested = requested;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (requested == OnnxProvider.Cpu) return;
        if (TryCuda(out var reason)) _cuda = true;
        else if (requested == OnnxProvider.Cuda) throw new InvalidOperationException($"BitEarth:OnnxProvider is cuda, but CUDA cannot be used: {reason}");
        else FellBack(reason);
    }

    /// <summary>CPU only: what code without a host's settings uses.</summary>
    public static OnnxSessionFactory Cpu { get; } = new();

    public OnnxProvider Requested { get; }

    /// <summary>The provider sessions run on: "cuda" or "cpu".</summary>
    public string Provider => _cuda ? "cuda" : "cpu";

    /// <summary>Why Auto runs on CPU, when it tried CUDA and could not use it.</summary>
    public string? FallbackReason { get; private set; }

    public InferenceSession Create(byte[] model)
    {
        if (_cuda)
        {
            try
            {
                using var options = CudaOptions();
                return new InferenceSession(model, options);
            }
            catch (OnnxRuntimeException e) when (Requested == OnnxProvider.Auto)
            {
                _cuda = false;
                FellBack(e.Message);
            }
        }
        using var cpu = new SessionOptions();
        return new InferenceSession(model, cpu);
    }

    private static SessionOptions CudaOptions()
    {
        var options = new SessionOptions();
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private static bool TryCuda(out string reason)
    {
        try
        {
            using var options = CudaOptions();
            reason = "";
            return true;
        }
        catch (Exception e) when (e is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
        {
            reason = e.Message;
            return false;
        }
    }

    private void FellBack(string reason)
    {
        FallbackReason = reason;
        LogCpuFallback(_logger, reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ONNX Runtime: CUDA execution provider unavailable, running encoders on CPU ({Reason})")]
    private static partial void LogCpuFallback(ILogger logger, string reason);
}
