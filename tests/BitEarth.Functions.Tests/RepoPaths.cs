namespace BitEarth.Functions.Tests;

/// <summary>The repository root (holding Serverless.sln) and the team's sample data beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no Serverless.sln above " + AppContext.BaseDirectory);
    }
}
