using System.CommandLine;
using BitEarth.Trainer.Cli;

namespace BitEarth.Trainer.Tests;

/// <summary>
/// The train line of trainer/README.md, which scripts take as the way to train the EuroSAT encoder: one
/// `dotnet run` line on ../shared/data/eurosat-ms with an --out folder, whose arguments the trainer accepts. (Running
/// it trains for minutes; the line's figures are in the README.)
/// </summary>
public class ReadmeTests
{
    private const string TrainPrefix = "dotnet run --project trainer/BitEarth.Trainer -c Release -- train ";

    private static string Readme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "trainer", "README.md");
            if (File.Exists(path)) return File.ReadAllText(path);
        }
        throw new FileNotFoundException("trainer/README.md not found above the test folder");
    }

    [Fact]
    public void The_readme_train_line_is_one_line_on_the_shared_eurosat_archive_that_the_trainer_accepts()
    {
        var line = Assert.Single(Readme().Split('\n'), l => l.StartsWith(TrainPrefix, StringComparison.Ordinal)).TrimEnd();
        Assert.DoesNotContain("\\", line);
        var args = line[(line.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string After(string option) => args[Array.IndexOf(args, option) + 1];
        Assert.Equal("../shared/data/eurosat-ms", After("--archive"));
        Assert.False(BlobLocation.IsUrl(After("--out")));
        Assert.Equal("ResNet", After("--preset"));

        var parse = new RootCommand { TrainCommand.Create() }.Parse(args);
        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void Relative_out_folders_resolve_against_the_working_directory()
    {
        Assert.False(BlobLocation.IsUrl("encoders"));
        Assert.False(BlobLocation.IsUrl("../shared/data/eurosat-ms"));
        Assert.True(BlobLocation.IsUrl("https://a.blob.core.windows.net/encoders"));
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "encoders"), Destination.Parse("encoders").Folder);
    }
}
