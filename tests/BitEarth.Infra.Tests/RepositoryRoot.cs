namespace BitEarth.Infra.Tests;

/// <summary>The checkout root: the nearest directory above the test binaries that holds Serverless.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Serverless.sln above {AppContext.BaseDirectory}");
    }
}
