using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace BitEarth.Onnx;

/// <summary>
/// Hashes patches with a trained encoder package through ONNX Runtime: one session per modality, reused (sessions
/// are thread-safe), on the provider <see cref="OnnxSessionFactory"/> chose; a cross-modal package holds S1 and S2
/// encoders into the same code space. Bit = output > 0.5.
/// </summary>
public sealed class OnnxHasher : IPatchHasher, IDisposable
{
    public const string Kind = EncoderPackage.HasherKind;

    private readonly EncoderPackage _package;
    private readonly Dictionary<Modality, (ModalityEncoder Encoder, InferenceSession Session)> _sessions = [];

    public OnnxHasher(EncoderPackage package, OnnxSessionFactory? sessions = null)
    {
        ArgumentNullException.ThrowIfNull(package);
        HammingCode.ValidateBits(package.Manifest.Bits);
        _package = package;
        sessions ??= OnnxSessionFactory.Cpu;
        foreach (var encoder in package.Manifest.Encoders)
        {
            try { _sessions[encoder.Modality] = (encoder, sessions.Create(package.Models[encoder.Model])); }
            catch (OnnxRuntimeException e)
            {
                Dispose();
                throw new EncoderPackageException($"{encoder.Model} is not a loadable ONNX model: {e.Message}", e);
            }
        }
        Modalities = _sessions.Keys.ToHashSet();
        Provider = sessions.Provider;
    }

    /// <summary>Loads an encoder package zip as the trainer writes it, or a hasher file as <see cref="Save"/> writes it.</summary>
    public static OnnxHasher Load(Stream source, OnnxSessionFactory? sessions = null) => new(EncoderPackage.Read(source), sessions);

    public string Version => _package.Manifest.Version;

    public int Bits => _package.Manifest.Bits;

    public IReadOnlySet<Modality> Modalities { get; }

    public bool SharesCodeSpace => _package.Manifest.SharesCodeSpace;

    public EncoderManifest Manifest => _package.Manifest;

    /// <summary>The execution provider its sessions run on ("cuda" or "cpu").</summary>
    public string Provider { get; }

    public HammingCode Hash(Patch patch) => HashBatch([patch])[0];

    /// <summary>Hashes patches in one network run per modality present; codes come back in the patches' order.</summary>
    public IReadOnlyList<HammingCode> HashBatch(IReadOnlyList<Patch> patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        var codes = new HammingCode[patches.Count];
        var bits = new bool[Bits];
        foreach (var group in Enumerable.Range(0, patches.Count).GroupBy(i => patches[i].Modality))
        {
            var indices = group.ToList();
            var raw = Outputs(indices.Select(i => patches[i]).ToList());
            for (int n = 0; n < indices.Count; n++)
            {
                for (int i = 0; i < Bits; i++) bits[i] = raw[n * Bits + i] > 0.5f;
                codes[indices[n]] = HammingCode.FromBits(bits);
            }
        }
        return codes;
    }

    /// <summary>The sigmoid outputs of patches of one modality, row-major [N, Bits], before thresholding.</summary>
    public float[] Outputs(IReadOnlyList<Patch> patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        if (patches.Count == 0) return [];
        var modality = patches[0].Modality;
        if (patches.Any(p => p.Modality != modality)) throw new ArgumentException("A batch holds patches of one modality.", nameof(patches));
        if (!_sessions.TryGetValue(modality, out var entry))
            throw new PatchFormatException(patches[0].Id, $"encoder {Version} has no {modality} network");
        var (encoder, session) = entry;
        int size = encoder.Bands.Count * encoder.InputSize * encoder.InputSize;
        var input = new float[patches.Count * size];
        for (int n = 0; n < patches.Count; n++) PatchInput.Prepare(patches[n], encoder, input.AsSpan(n * size, size));
        var tensor = new DenseTensor<float>(input, [patches.Count, encoder.Bands.Count, encoder.InputSize, encoder.InputSize]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(EncoderPackage.InputName, tensor)]);
        return results.First(r => r.Name == EncoderPackage.OutputName).AsEnumerable<float>().ToArray();
    }

    /// <summary>Writes the hasher file form (JSON with kind "onnx"), which HasherKinds dispatches on.</summary>
    public void Save(Stream destination) => _package.WriteHasherFile(destination);

    public void Dispose()
    {
        foreach (var (_, session) in _sessions.Values) session.Dispose();
    }
}
