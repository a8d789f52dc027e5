namespace BitEarth.Core.Tests.Patches;

/// <summary>Locates the team's read-only sample data: ../shared/data next to the repository root.</summary>
internal static class SharedData
{
    public static string Root { get; } = Find();

    public static string V1S2 => Path.Combine(Root, "bigearthnet-v1", "S2");
    public static string V1S1 => Path.Combine(Root, "bigearthnet-v1", "S1");
    public static string V2 => Path.Combine(Root, "bigearthnet-v2");
    public static string EuroSat => Path.Combine(Root, "eurosat-ms");

    public static IEnumerable<string> Folders(string parent) => Directory.EnumerateDirectories(parent).Order(StringComparer.Ordinal);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        throw new DirectoryNotFoundException("no Serverless.sln above " + AppContext.BaseDirectory);
    }
}
