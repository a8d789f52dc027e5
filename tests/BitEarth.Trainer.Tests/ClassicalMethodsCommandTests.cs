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
    public void Evaluate_shows_n_a_for_a_modality_too_small_for_the_deep_trainer_instead_of_failing()
    {
        // 4 synthetic pairs, half held out: about two training patches per modality, fewer than the deep trainer needs.
        var (exit, printed) = RunPrinting("evaluate", "--synthetic", "4", "--methods", "lsh,deep", "--bits", "16", "--repeats", "1",
            "--test-fraction", "0.5", "--k", "3", "--plots", _folder.FullName);

        Assert.Equal(0, exit);
        var deep = Rows(printed, "| deep SmallCnn 32px |");
        Assert.Equal(2, deep.Count);
        Assert.All(deep, r => Assert.Contains("| n/a |", r));
        Assert.Contains(printed.Split('\n'), l => l.StartsWith("n/a: deep SmallCnn 32px, 16 bits,", StringComparison.Ordinal) && l.Contains("Need at least", StringComparison.Ordinal));
        Assert.All(Rows(printed, "| lsh |"), r => Assert.DoesNotContain("n/a", r));
    }

    [Fact]
    public void Evaluate_methods_trains_deep_with_the_preset_and_backbone_options()
    {
        var (exit, printed) = RunPrinting("evaluate", "--synthetic", "12", "--methods", "deep", "--preset", "ResNet", "--trainable-stages", "0",
            "--input-size", "32", "--epochs", "1", "--batch", "8", "--bits", "16", "--k", "3", "--plots", _folder.FullName);

        Assert.Equal(0, exit);
        var rows = Rows(printed, "| deep ResNet18 ImageNet 32px stages 0 lr×1 | 16 |");
        Assert.Equal(["S1", "S2"], rows.Select(r => r.Split('|')[3].Trim()));
        Assert.All(rows, r => Assert.DoesNotContain("n/a", r));
    }

    [Fact]
    public void Evaluate_methods_prints_a_row_per_method_and_code_length_and_writes_both_plots_per_modality()
    {
        var (exit, printed) = RunPrinting("evaluate", "--synthetic", "16", "--methods", "lsh,kulsh:spectral+lbp", "--bits", "16,24", "--k", "5", "--plots", _folder.FullName);

        Assert.Equal(0, exit);
        var rows = Rows(printed, "| lsh |").Concat(Rows(printed, "| kulsh:spectral+lbp |")).ToList();
        Assert.Equal(8, rows.Count); // 2 methods x 2 lengths x 2 modalities
        Assert.All(rows, r => Assert.Equal(14, r.Count(c => c == '|')));
        foreach (var plot in new[] { "map-vs-bits-S1.png", "precision-recall-S1.png", "map-vs-bits-S2.png", "precision-recall-S2.png" })
            Assert.True(File.Exists(Path.Combine(_folder.FullName, plot)), plot);
    }

    private static List<string> Rows(string printed, string start) =>
        [.. printed.Split('\n').Where(l => l.StartsWith(start, StringComparison.Ordinal))];

    private static (int Exit, string Printed) RunPrinting(params string[] args)
    {
        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try { return (Run(args), printed.ToString()); }
        finally { Console.SetOut(console); }
    }

    private static int Run(params string[] args) =>
        new RootCommand { FitCommand.Create(), EvaluateCommand.Create() }.Parse(args).Invoke();
}
