using BitEarth.Core.Patches;

namespace BitEarth.Onnx.Tests.Pretrained;

/// <summary>The team's real patches in ../shared/data beside the repository root: EuroSAT (S2) and BigEarthNet v1 S1.</summary>
internal static class PretrainedSamples
{
    private static readonly string Data = Find();

    public static IReadOnlyList<Patch> EuroSat { get; } = Directory
        .EnumerateFiles(Path.Combine(Data, "eurosat-ms"), "*.tif", SearchOption.AllDirectories)
        .Order(StringComparer.Ordinal).Select(EuroSatReader.ReadFile).ToList();

    public static IReadOnlyList<Patch> BigEarthNetS1 { get; } = Directory
        .EnumerateDirectories(Path.Combine(Data, "bigearthnet-v1", "S1"))
        .Order(StringComparer.Ordinal).Select(BigEarthNetReader.ReadFolder).ToList();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        throw new DirectoryNotFoundException("no Serverless.sln above " + AppContext.BaseDirectory);
    }
}
