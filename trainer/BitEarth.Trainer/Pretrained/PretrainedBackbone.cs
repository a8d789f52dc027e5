using BitEarth.Onnx;
using BitEarth.Trainer.Models;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Pretrained;

/// <summary>
/// The ImageNet ResNet-18 that the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 ships as ONNX
/// (<c>ResNet18Onnx/ResNet18.onnx</c>, exported from CNTK: input <c>Input247</c> [1,3,224,224] = B, G, R pixels minus
/// the package's mean image, output <c>Pooling395_Output_0</c> [1,512,1,1]), read into a <see cref="ResNetEncoder"/>.
/// The graph's 22 convolutions each feed a BatchNormalization; its last stage has three basic blocks, not two,
/// so the block counts are read from the graph. Units are matched to the encoder's in graph order by weight shape.
/// </summary>
public sealed class PretrainedBackbone
{
    /// <summary>Where the package's build props copy the model: beside the trainer's assembly.</summary>
    public static readonly string RelativePath = Path.Combine("DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    public const string PackageName = "Microsoft.ML.DnnImageFeaturizer.ResNet18";
    public const string PackageVersion = "0.23.1";

    public sealed record Unit(Tensor Weight, Tensor Scale, Tensor Shift, Tensor Mean, Tensor Var);

    private readonly List<Unit> _units;

    private PretrainedBackbone(string path, List<Unit> units, int[] blocksPerStage)
    {
        Source = path;
        _units = units;
        BlocksPerStage = blocksPerStage;
    }

    /// <summary>The ONNX file the weights were read from.</summary>
    public string Source { get; }

    public IReadOnlyList<int> BlocksPerStage { get; }

    /// <summary>The model file under <paramref name="directory"/> (default: the trainer's folder), or null with the reason.</summary>
    public static string? Find(out string missing, string? directory = null)
    {
        string path = Path.Combine(directory ?? AppContext.BaseDirectory, RelativePath);
        if (File.Exists(path))
        {
            missing = "";
            return path;
        }
        missing = $"pretrained ResNet-18 weights not found at {path}: they come from the NuGet package {PackageName} " +
            $"{PackageVersion} (referenced by the trainer project, copied to DnnImageModels/ on build); training from scratch";
        return null;
    }

    /// <exception cref="InvalidDataException">The file is not the ResNet graph described above.</exception>
    public static PretrainedBackbone Load(string path)
    {
        var graph = OnnxGraphFile.Read(File.ReadAllBytes(path));
        var normalised = graph.Nodes.Where(n => n.OpType == "BatchNormalization").ToDictionary(n => n.Inputs[0], StringComparer.Ordinal);
        var units = new List<Unit>();
        foreach (var conv in graph.Nodes.Where(n => n.OpType == "Conv"))
        {
            var weight = Weight(graph, conv.Inputs[1]);
            if (normalised.TryGetValue(conv.Outputs[0], out var bn))
                units.Add(new Unit(weight, Weight(graph, bn.Inputs[1]), Weight(graph, bn.Inputs[2]), Weight(graph, bn.Inputs[3]), Weight(graph, bn.Inputs[4])));
            else if (conv.Inputs.Count > 2) // batch norm folded into the convolution: an identity batch norm with the bias as shift
            {
                long width = weight.shape[0];
                units.Add(new Unit(weight, ones(width), Weight(graph, conv.Inputs[2]), zeros(width), full(width, 1 - ConvBn.Eps)));
            }
            else throw new InvalidDataException($"{path}: convolution {conv.Outputs[0]} has neither a batch norm nor a bias");
        }
        // A basic block has two 3x3 convolutions of its stage's width.
        int[] blocks = [.. Enumerable.Range(0, ResNetEncoder.StageCount)
            .Select(s => units.Count(u => u.Weight.shape[0] == 64 << s && u.Weight.shape[2] == 3) / 2)];
        if (units.Count == 0 || units[0].Weight.shape is not [64, 3, 7, 7] || blocks.Any(b => b == 0))
            throw new InvalidDataException($"{path}: not a ResNet with a 7x7 RGB stem and four basic-block stages");
        return new PretrainedBackbone(path, units, blocks);
    }

    /// <summary>The network as the file computes it: 3 input channels (B, G, R minus the mean image, 0..255).</summary>
    public ResNetEncoder CreateBgr(int bits) => Create(bits, 3, _units[0].Weight);

    /// <summary>A network for a modality's bands: the stem mapped by <see cref="MultispectralStem"/>, the rest as in the file.</summary>
    public ResNetEncoder Create(ModalityEncoder input, int bits)
    {
        using var stem = MultispectralStem.Map(_units[0].Weight, input.Bands);
        return Create(bits, input.Bands.Count, stem);
    }

    /// <summary>
    /// A frozen network over the modality's display bands (<see cref="DisplayBands"/>) with a trainable hash head
    /// over the D4-averaged pooled outputs of <paramref name="featureStages"/> (1..4) and every band's moments
    /// (<see cref="FrozenFeatureEncoder"/>).
    /// </summary>
    public FrozenFeatureEncoder CreateFrozen(ModalityEncoder input, int bits, IReadOnlyList<int> featureStages)
    {
        var display = DisplayBands(input.Bands);
        using var stem = MultispectralStem.Map(_units[0].Weight, [.. display.Select(i => input.Bands[i])]);
        return new FrozenFeatureEncoder(input, Create(bits, display.Count, stem), display, featureStages, bits);
    }

    /// <summary>
    /// Indices of B04, B03, B02 (the bands the ImageNet filters were made for) among <paramref name="bands"/>, or of
    /// every band when they are not all there (S1: VV and VH through the mean filter).
    /// </summary>
    private static readonly string[] RgbBands = ["B04", "B03", "B02"];

    public static IReadOnlyList<int> DisplayBands(IReadOnlyList<string> bands)
    {
        int[] rgb = [.. RgbBands.Select(b => bands.ToList().FindIndex(n => string.Equals(n, b, StringComparison.OrdinalIgnoreCase)))];
        return rgb.All(i => i >= 0) ? rgb : [.. Enumerable.Range(0, bands.Count)];
    }

    private ResNetEncoder Create(int bits, int channels, Tensor stemWeight)
    {
        var network = new ResNetEncoder(channels, bits, BlocksPerStage, bottleneck: false, "ResNet18-ImageNet");
        var remaining = _units.Skip(1).ToList();
        bool first = true;
        foreach (var unit in network.Units())
        {
            if (first)
            {
                var s = _units[0];
                unit.Load(stemWeight, s.Scale, s.Shift, s.Mean, s.Var);
                first = false;
                continue;
            }
            int match = remaining.FindIndex(u => u.Weight.shape.SequenceEqual(unit.WeightShape));
            if (match < 0) throw new InvalidDataException($"{Source}: no convolution of shape [{string.Join(",", unit.WeightShape)}] left to load");
            var found = remaining[match];
            remaining.RemoveAt(match);
            unit.Load(found.Weight, found.Scale, found.Shift, found.Mean, found.Var);
        }
        if (remaining.Count > 0) throw new InvalidDataException($"{Source}: {remaining.Count} convolutions were not loaded");
        return network;
    }

    private static Tensor Weight(OnnxGraphFile graph, string name) =>
        graph.Initializers.TryGetValue(name, out var initializer)
            ? tensor(initializer.Values, initializer.Dims)
            : throw new InvalidDataException($"initializer {name} is missing");
}
