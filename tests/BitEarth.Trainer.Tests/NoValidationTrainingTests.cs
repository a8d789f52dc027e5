using System.CommandLine;
using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Cli;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Training;

namespace BitEarth.Trainer.Tests;

/// <summary>ValidationFraction 0: every sample trains, the last epoch is exported, and nothing reports a validation mAP.</summary>
public class NoValidationTrainingTests
{
    private static readonly HashSet<Modality> S2 = [Modality.S2];

    private static List<Patch> S2Patches(int count) =>
        [.. LabelledPatches.Generate(pairs: count, seed: 4).Where(p => p.Modality == Modality.S2).Select(p => p with { PairedId = null })];

    [Fact]
    public void Five_samples_train_without_a_validation_split_and_the_last_epoch_is_kept()
    {
        var options = TrainedPair.Options with { Epochs = 3, BatchSize = 5, ValidationFraction = 0 };
        // with the default split these five would be too few (4 validation + 2 training)
        Assert.Throws<ArgumentException>(() => new HashTrainer(options with { ValidationFraction = 0.2 }).Train(S2Patches(5), S2));

        using var encoders = new HashTrainer(options).Train(S2Patches(5), S2);

        Assert.False(encoders.HasValidation);
        Assert.Equal(4, encoders.History.Count);
        Assert.All(encoders.History, r => Assert.Null(r.ValidationMap));
        Assert.Equal(3, encoders.Best.Epoch);
        Assert.All(encoders.History.Skip(1), r => Assert.True(double.IsFinite(r.Loss), $"epoch {r.Epoch} loss {r.Loss}"));
    }

    [Fact]
    public void The_exported_metrics_and_the_plot_say_last_epoch_without_validation_numbers()
    {
        using var encoders = new HashTrainer(TrainedPair.Options with { Epochs = 2, BatchSize = 4, ValidationFraction = 0 }).Train(S2Patches(8), S2);

        var metrics = EncoderExport.ToPackage(encoders, "deep-no-validation", "labelled synthetic patches", DateTimeOffset.UnixEpoch).Manifest.Metrics;
        Assert.Equal(new Dictionary<string, double> { ["lastEpoch"] = 2, ["validationFraction"] = 0 }, metrics);
        var png = TrainingPlot.Png(encoders.History, encoders.Options.MapAtK);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]); // the PNG signature
    }

    [Fact]
    public async Task Train_with_validation_fraction_0_writes_an_encoder_package_and_its_plot()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"bitearth-no-validation-{Guid.NewGuid():N}");
        try
        {
            string[] args = ["train", "--synthetic", "8", "--modality", "s2", "--bits", "16", "--epochs", "2", "--batch", "4",
                "--input-size", "16", "--validation-fraction", "0", "--version-name", "deep-all-patches", "--out", folder];
            Assert.Equal(0, await new RootCommand { TrainCommand.Create() }.Parse(args).InvokeAsync());

            Assert.True(File.Exists(Path.Combine(folder, "deep-all-patches.png")));
            using var package = File.OpenRead(Path.Combine(folder, "deep-all-patches.zip"));
            using var hasher = OnnxHasher.Load(package);
            Assert.Equal(16, hasher.Bits);
            Assert.Equal(2, hasher.Manifest.Metrics["lastEpoch"]);
            Assert.DoesNotContain(hasher.Manifest.Metrics.Keys, key => key.StartsWith("validationMap", StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1)]
    [InlineData(1.5)]
    public void A_validation_fraction_outside_0_to_1_is_refused(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => (TrainedPair.Options with { ValidationFraction = fraction }).Validate());
        Assert.Contains("[0, 1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_refuses_a_negative_validation_fraction_with_exit_code_2()
    {
        string[] args = ["train", "--synthetic", "8", "--modality", "s2", "--validation-fraction", "-0.5", "--out", Path.GetTempPath()];
        Assert.Equal(2, await new RootCommand { TrainCommand.Create() }.Parse(args).InvokeAsync());
    }
}
