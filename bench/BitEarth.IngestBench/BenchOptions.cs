using System.Globalization;
using BitEarth.Onnx;

namespace BitEarth.IngestBench;

/// <summary>Command line: --patches N (S2/S1 pairs generated; the S2 ones are ingested), --batches 1,16,64, --encoders, --provider.</summary>
internal sealed record BenchOptions(int Patches, IReadOnlyList<int> Batches, IReadOnlyList<EncoderSpec> Encoders, OnnxProvider Provider)
{
    public static readonly IReadOnlyList<EncoderSpec> All =
    [
        new("lsh", 120), new("smallcnn", 64), new("smallcnn", 120), new("resnet18", 64), new("resnet18", 120),
    ];

    public static BenchOptions Parse(string[] args)
    {
        int patches = 128;
        IReadOnlyList<int> batches = [1, 16, 64];
        IReadOnlyList<EncoderSpec> encoders = All;
        var provider = OnnxProvider.Auto;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--patches": patches = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--batches": batches = [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))]; break;
                case "--encoders":
                    encoders = [.. value.Split(',').Select(name => All.FirstOrDefault(e => $"{e.Name}@{e.InputSize}" == name)
                        ?? throw new ArgumentException($"--encoders: '{name}' is none of {string.Join(",", All.Select(e => $"{e.Name}@{e.InputSize}"))}"))];
                    break;
                case "--provider": provider = Enum.Parse<OnnxProvider>(value, ignoreCase: true); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return new BenchOptions(patches, batches, encoders, provider);
    }
}

/// <summary>An encoder to measure: "lsh" (spectral descriptor LSH), "smallcnn" or "resnet18", at an input side in pixels.</summary>
internal sealed record EncoderSpec(string Name, int InputSize);
