namespace BitEarth.Functions.Tests;

/// <summary>
/// README's training command (step 1 of "Train, deploy, query"), run once per test process exactly as written: it
/// writes one &lt;version&gt;.zip into the repository's encoders folder. The package is kept in a temporary folder and
/// the repository folder restored to what it was, so the tests that deploy it start from the same state.
/// </summary>
internal static class TrainedPackage
{
    private static readonly Lazy<Task<string>> Trained = new(TrainAsync);

    public static Task<string> PathAsync() => Trained.Value;

    private static async Task<string> TrainAsync()
    {
        var train = ReadmeCommands.TrainDeployQuery()[0];
        using var stash = new StashedFolder(Path.Combine(RepoPaths.Root, "encoders"));
        await ReadmeCommands.RunAsync(train, TimeSpan.FromMinutes(20));
        var zips = Directory.GetFiles(stash.Path, "*.zip");
        if (zips.Length != 1) throw new InvalidOperationException($"'{train}' wrote {zips.Length} packages into encoders/, not one");
        var kept = Path.Combine(Directory.CreateTempSubdirectory("bitearth-package-").FullName, Path.GetFileName(zips[0]));
        File.Copy(zips[0], kept);
        return kept;
    }
}

/// <summary>Moves a folder of the repository aside for a test and puts it back afterwards (what the test left there goes).</summary>
internal sealed class StashedFolder : IDisposable
{
    private readonly string? _aside;

    public StashedFolder(string path)
    {
        Path = path;
        if (Directory.Exists(path))
        {
            _aside = $"{path}.before-test-{Guid.NewGuid():N}";
            Directory.Move(path, _aside);
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        if (_aside is not null) Directory.Move(_aside, Path);
    }
}
