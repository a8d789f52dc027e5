using System.CommandLine;
using System.Globalization;
using BitEarth.Core.Patches;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Training;
using Spectre.Console;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// `train`: learns the encoders, prints the epoch table and writes the encoder with its loss and mAP curves to
/// --out (<see cref="Destination"/>: a folder, or the encoders container).
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var archive = new Option<string?>("--archive") { Description = "Archive folder (BigEarthNet v1/v2 patch folders or EuroSAT class folders) or blob container URL of ingest blobs" };
        var synthetic = new Option<int?>("--synthetic") { Description = "Train on this many pairs of the synthetic paired archive instead" };
        var modality = new Option<string>("--modality") { Description = "s1, s2 or both (cross-modal, needs S1/S2 pairs)", DefaultValueFactory = _ => "both" };
        modality.AcceptOnlyFromAmong("s1", "s2", "both");
        var preset = new Option<EncoderPreset>("--preset") { Description = "SmallCnn (CPU) or ResNet", DefaultValueFactory = _ => EncoderPreset.SmallCnn };
        var depth = new Option<int>("--depth") { Description = "ResNet depth: 18 (ImageNet-pretrained by default), 34 or 50", DefaultValueFactory = _ => 18 };
        var bits = new Option<int>("--bits") { Description = "Code length: 8, 16, 32, 64 or 128", DefaultValueFactory = _ => 32 };
        var loss = new Option<HashLoss>("--loss") { Description = "Triplet, Mse or Csq (class hash centres)", DefaultValueFactory = _ => HashLoss.Triplet };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Batch size", DefaultValueFactory = _ => 200 };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "Adam weight decay", DefaultValueFactory = _ => 1e-4 };
        var lambda1 = new Option<double>("--lambda1") { Description = "Quantization (push) weight", DefaultValueFactory = _ => 0.001 };
        var lambda2 = new Option<double>("--lambda2") { Description = "Bit balance weight", DefaultValueFactory = _ => 1.0 };
        var inputSize = new Option<int?>("--input-size") { Description = "Network input side in pixels (default 32 small CNN, 120 ResNet; 64..224 for the pretrained ResNet)" };
        var augment = new Option<bool>("--augment") { Description = "Random resized crops, flips and 90° rotations of training samples", DefaultValueFactory = _ => true };
        var k = new Option<int>("--k") { Description = "k of the validation mAP@k", DefaultValueFactory = _ => 10 };
        var validationFraction = new Option<double>("--validation-fraction")
        {
            Description = "Share of the samples held out to pick the best epoch; 0 trains on all and keeps the last epoch", DefaultValueFactory = _ => 0.2,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of splits, shuffling and initial weights", DefaultValueFactory = _ => 42 };
        var version = new Option<string>("--version-name") { Description = "Encoder version recorded in the package", DefaultValueFactory = _ => $"deep-{DateTime.UtcNow:yyyyMMddHHmmss}" };
        var device = new Option<string?>("--device") { Description = "cpu or cuda (default: cuda when available)" };
        device.AcceptOnlyFromAmong("cpu", "cuda");
        var output = new Option<string>("--out") { Description = "Output folder, or blob container URL (the encoders container)", DefaultValueFactory = _ => "encoders" };
        var backbone = new BackboneOptions();

        var command = new Command("train", "Train deep hashing encoders and export them as an ONNX encoder package")
        {
            archive, synthetic, modality, preset, depth, bits, loss, epochs, batch, learningRate, weightDecay, lambda1, lambda2,
            inputSize, augment, k, validationFraction, seed, device, version, output,
        };
        foreach (var option in backbone.All) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if ((result.GetValue(archive) is null) == (result.GetValue(synthetic) is null))
                result.AddError("Give exactly one of --archive or --synthetic.");
        });
        command.SetAction(async (parse, cancel) =>
        {
            var options = new TrainingOptions
            {
                Preset = parse.GetValue(preset), ResNetDepth = parse.GetValue(depth), Bits = parse.GetValue(bits),
                Loss = parse.GetValue(loss), Epochs = parse.GetValue(epochs), BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(learningRate), WeightDecay = parse.GetValue(weightDecay),
                QuantizationWeight = parse.GetValue(lambda1), BitBalanceWeight = parse.GetValue(lambda2),
                InputSize = parse.GetValue(inputSize), Augment = parse.GetValue(augment), MapAtK = parse.GetValue(k), Seed = parse.GetValue(seed),
                ValidationFraction = parse.GetValue(validationFraction),
                Device = parse.GetValue(device),
            };
            var modalities = parse.GetValue(modality) switch
            {
                "s1" => new HashSet<Modality> { Modality.S1 },
                "s2" => new HashSet<Modality> { Modality.S2 },
                _ => new HashSet<Modality> { Modality.S1, Modality.S2 },
            };
            Action<string> skipped = reason => AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]skipped[/] {reason}");
            string source;
            List<Patch> patches;
            Destination destination;
            try
            {
                options = backbone.Apply(parse, options, out var notice);
                if (notice is not null) AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]{notice}[/]");
                destination = Destination.Parse(parse.GetValue(output)!);
                if (parse.GetValue(archive) is { } location)
                {
                    if (BlobLocation.IsUrl(location))
                    {
                        var container = BlobLocation.Parse(location);
                        source = $"container {container.Url}";
                        patches = PatchSource.Blobs(await container.ReadAllAsync(cancel), skipped).ToList();
                    }
                    else
                    {
                        string folder = Path.GetFullPath(location);
                        source = $"archive {folder}";
                        patches = PatchSource.Archive(folder, skipped).ToList();
                    }
                }
                else
                {
                    int pairs = parse.GetValue(synthetic)!.Value;
                    source = $"synthetic paired archive, {pairs} pairs, seed {options.Seed}";
                    patches = PatchSource.Synthetic(pairs, options.Seed, skipped).ToList();
                }
            }
            catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException or ArgumentException or Azure.RequestFailedException
                or Azure.Identity.AuthenticationFailedException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{e.Message}[/]");
                return 2;
            }
            return await RunAsync(options, modalities, patches, source, parse.GetValue(version)!, destination, cancel);
        });
        return command;
    }

    private static async Task<int> RunAsync(TrainingOptions options, IReadOnlySet<Modality> modalities, List<Patch> patches, string source, string version,
        Destination destination, CancellationToken cancel)
    {
        try { options.Validate(); }
        catch (ArgumentOutOfRangeException e)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{e.Message}[/]");
            return 2;
        }
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"Training {options.Preset} {options.Bits}-bit encoders for {string.Join("+", modalities)} on {patches.Count} patches ({source})");
        TrainedEncoders? trained = null;
        try
        {
            AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    var bar = context.AddTask("epoch 1", maxValue: options.Epochs);
                    trained = new HashTrainer(options).Train(patches, modalities, step =>
                    {
                        bar.Description = $"epoch {step.Epoch}/{step.Epochs} batch {step.Batch}/{step.Batches}";
                        bar.Value = step.Epoch - 1 + (double)step.Batch / step.Batches;
                        if (step.Finished is { } done)
                            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"epoch {done.Epoch}: loss {done.Loss:F4}, {Validation(done, options.MapAtK)}");
                    });
                });
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{e.Message}[/]");
            return 2;
        }
        using var encoders = trained!;
        var package = EncoderExport.ToPackage(encoders, version, source, DateTimeOffset.UtcNow);
        string written;
        try
        {
            written = await destination.WriteAsync(package, TrainingPlot.Png(encoders.History, options.MapAtK), cancel);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Azure.RequestFailedException or Azure.Identity.AuthenticationFailedException)
        {
            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]writing the encoder failed: {e.Message}[/]");
            return 1;
        }

        var table = new Table().AddColumns("epoch", "loss", encoders.HasValidation ? $"mAP@{options.MapAtK}" : "no validation", "elapsed");
        foreach (var r in encoders.History)
            table.AddRow(r.Epoch.ToString(CultureInfo.InvariantCulture), double.IsNaN(r.Loss) ? "-" : r.Loss.ToString("F4", CultureInfo.InvariantCulture),
                r.ValidationMap?.ToString("F4", CultureInfo.InvariantCulture) ?? "-", r.Elapsed.ToString(@"mm\:ss", CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{(encoders.HasValidation ? "best" : "last (no validation split)")} epoch {encoders.Best.Epoch}; wrote {written}");
        return 0;
    }

    /// <summary>"validation mAP@10 0.6123", or "no validation" when every sample trains.</summary>
    internal static string Validation(EpochReport report, int k) => report.ValidationMap is { } map
        ? string.Create(CultureInfo.InvariantCulture, $"validation mAP@{k} {map:F4}")
        : "no validation";
}
