using System.CommandLine;
using BitEarth.Core.Hashing;
using BitEarth.Trainer.Cli;

namespace BitEarth.Trainer.Tests;

public sealed class ClassicalMethodsCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bitearth-fit-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("lsh", "spectral")]
    [InlineData("kulsh", "lbp")]
    [InlineData("ksh", "spectral+bosv")]
    [InlineData("mch", "spectral+bosv")]
    public void Fit_writes_one_deployable_hasher_file_whose_version_starts_with_the_method(string method, string descriptor)
    {
        int exit = Run("fit", "--method", method, "--bits", "24", "--synthetic", "12", "--descriptor", descriptor, "--out", _folder.FullName);

        Assert.Equal(0, exit);
        var file = Assert.Single(_folder.GetFiles());
        Assert.StartsWith($"{method}-24-", file.Name);
        using var stream = file.OpenRead();
        var hasher = HasherKinds.BuiltIn.Load(stream);
        Assert.Equal(Path.GetFileNameWithoutExtension(file.Name), hasher.Version);
        Assert.Equal(24, hasher.Bits);
    }

    [Fact]
    public void Fit_refuses_an_unknown_descriptor_without_writing_anything()
    {
        Assert.Equal(2, Run("fit", "--method", "lsh", "--synthetic", "6", "--descriptor", "sift", "--out", _folder.FullName));
        Assert.Empty(_folder.GetFiles());
    }

    [Fact]
    public void Evaluate_refuses_a_split_too_small_for_the_deep_trainer_with_exit_2_not_a_crash()
    {
        // 4 synthetic pairs, half held out: two training patches per modality, fewer than the deep trainer needs.
        Assert.Equal(2, Run("evaluate", "--synthetic", "4", "--methods", "deep", "--bits", "16", "--repeats", "1",
            "--test-fraction", "0.5", "--plots", _folder.FullName));
    }

    [Fact]
    public void Evaluate_methods_prints_a_row_per_method_and_code_length_and_writes_both_plots()
    {
        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        int exit;
        try { exit = Run("evaluate", "--synthetic", "16", "--methods", "lsh,kulsh:spectral+lbp", "--bits", "16,24", "--k", "5", "--plots", _folder.FullName); }
        finally { Console.SetOut(console); }

        Assert.Equal(0, exit);
        var rows = printed.ToString().Split('\n').Where(l => l.StartsWith("| lsh |", StringComparison.Ordinal) || l.StartsWith("| kulsh:spectral+lbp |", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(13, r.Count(c => c == '|')));
        Assert.True(File.Exists(Path.Combine(_folder.FullName, "map-vs-bits.png")));
        Assert.True(File.Exists(Path.Combine(_folder.FullName, "precision-recall.png")));
    }

    private static int Run(params string[] args) =>
        new RootCommand { FitCommand.Create(), EvaluateCommand.Create() }.Parse(args).Invoke();
}
