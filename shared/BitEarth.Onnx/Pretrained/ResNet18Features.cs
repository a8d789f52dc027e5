using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BitEarth.Core.Patches;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace BitEarth.Onnx.Pretrained;

/// <summary>
/// 512 ImageNet features per patch: the global-average-pooled last block of the ResNet-18 that the NuGet package
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 ships (its build props copy DnnImageModels/ to every consumer's output,
/// so nothing is downloaded at run time). One session per process, shared (sessions are thread-safe); patches go
/// through in batches, after the fixed batch of 1 the model declares is made symbolic (<see cref="OnnxFlexibleInput"/>).
/// </summary>
public sealed class ResNet18Features : IDisposable
{
    public const int Length = 512;

    /// <summary>Names the network and the tensor the features are read from; part of every pretrained hasher file.</summary>
    public const string Backbone = "Microsoft.ML.DnnImageFeaturizer.ResNet18/0.23.1/ResNet18.onnx:Pooling395_Output_0";

    /// <summary>Patches per run: large enough to use the matrix kernels well, small enough to keep memory low (~40 MB).</summary>
    public const int BatchSize = 16;

    private const string InputName = "Input247";
    private const string OutputName = "Pooling395_Output_0";

    private static readonly Lazy<ResNet18Features> SharedInstance = new(() => new ResNet18Features(DefaultModelPath));

    private readonly InferenceSession _session;

    public ResNet18Features(string modelPath, int inputSize = PretrainedInput.DefaultSize)
    {
        if (inputSize < 32 || inputSize % 32 != 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "the input size must be a positive multiple of 32 (the network's stride).");
        InputSize = inputSize;
        if (!File.Exists(modelPath))
            throw new FileNotFoundException(
                $"The pretrained ResNet-18 model is missing at {modelPath}: it ships with the package Microsoft.ML.DnnImageFeaturizer.ResNet18, " +
                "which BitEarth.Onnx references; build or publish the host so DnnImageModels/ is copied to its output.", modelPath);
        _session = new InferenceSession(OnnxFlexibleInput.Rewrite(File.ReadAllBytes(modelPath)));
    }

    /// <summary>Side of the square the patches are resampled to before the network.</summary>
    public int InputSize { get; }

    /// <summary>Where the package's props put the model: DnnImageModels/ResNet18Onnx/ beside the host's assemblies.</summary>
    public static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The process-wide instance over <see cref="DefaultModelPath"/>, loaded on first use.</summary>
    public static ResNet18Features Shared => SharedInstance.Value;

    public float[] Compute(Patch patch) => Compute([patch])[0];

    public float[][] Compute(IReadOnlyList<Patch> patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        var features = new float[patches.Count][];
        var inputs = new float[patches.Count][];
        var keys = new UInt128[patches.Count];
        var missing = new List<int>();
        for (int n = 0; n < patches.Count; n++)
        {
            inputs[n] = new float[PretrainedInput.Length(InputSize)];
            PretrainedInput.Prepare(patches[n], InputSize, inputs[n]);
            keys[n] = InputKey(inputs[n]);
            if (_recent.TryGetValue(keys[n], out var known)) features[n] = known;
            else missing.Add(n);
        }
        for (int start = 0; start < missing.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, missing.Count - start);
            int length = PretrainedInput.Length(InputSize);
            var batch = new float[count * length];
            for (int i = 0; i < count; i++) inputs[missing[start + i]].CopyTo(batch.AsSpan(i * length));
            var tensor = new DenseTensor<float>(batch, [count, 3, InputSize, InputSize]);
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(InputName, tensor)]);
            var output = results.First(r => r.Name == OutputName).AsEnumerable<float>().ToArray();
            for (int i = 0; i < count; i++)
            {
                int n = missing[start + i];
                features[n] = output.AsSpan(i * Length, Length).ToArray();
                Remember(keys[n], features[n]);
            }
        }
        return features;
    }

    /// <summary>
    /// Features of recently seen inputs, by a hash of the exact network input: a host that fits an encoder on a sample
    /// and then ingests or re-indexes the same patches runs the network once per patch. Bounded; emptied when full.
    /// </summary>
    private readonly ConcurrentDictionary<UInt128, float[]> _recent = new();

    private const int RecentCapacity = 4096;

    private void Remember(UInt128 key, float[] features)
    {
        if (_recent.Count >= RecentCapacity) _recent.Clear();
        _recent[key] = features;
    }

    private static UInt128 InputKey(float[] input)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(MemoryMarshal.AsBytes(input.AsSpan()), digest);
        return BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    public void Dispose() => _session.Dispose();
}
