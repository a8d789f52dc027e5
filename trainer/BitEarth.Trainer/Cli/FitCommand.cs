using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using Spectre.Console;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// `fit`: fits one of the literature's classical hashers on an archive and writes it as &lt;out&gt;/&lt;version&gt;.json, a
/// hasher file that deploys like a trained package (encoders container, re-index, the local host's --encoder). Its
/// version starts with the method's name. BigEarthNet labels are folded into the 19 classes for the supervised method.
/// </summary>
public static class FitCommand
{
    /// <summary>KSH's cost grows with the square of its sample; beyond this many patches per modality it uses a seeded subsample.</summary>
    public const int SupervisedSampleCap = 1000;

    public static Command Create()
    {
        var method = new Option<string>("--method") { Description = "lsh (random hyperplanes), kulsh (kernelized LSH), ksh (supervised kernel hashing) or mch (multi-code hashing over region primitives)", Required = true };
        method.AcceptOnlyFromAmong("lsh", "kulsh", "ksh", "mch");
        var bits = new Option<int>("--bits") { Description = "Code length in bits: a multiple of 8", DefaultValueFactory = _ => 64 };
        var archive = new Option<DirectoryInfo?>("--archive") { Description = "Archive folder: BigEarthNet v1/v2 patch folders or EuroSAT class folders" };
        var synthetic = new Option<int?>("--synthetic") { Description = "Fit on this many pairs of the synthetic paired archive instead" };
        var descriptor = new Option<string>("--descriptor") { Description = "spectral, lbp, bosv or a '+'-joined mix (e.g. spectral+lbp)", DefaultValueFactory = _ => "spectral" };
        var seed = new Option<int>("--seed") { Description = "Seed of the random directions, anchors and words", DefaultValueFactory = _ => 42 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder", DefaultValueFactory = _ => new DirectoryInfo("encoders") };
        var command = new Command("fit", "Fit a classical hasher (LSH, KULSH, KSH, MCH) on an archive and write it as a deployable hasher file")
        {
            method, bits, archive, synthetic, descriptor, seed, output,
        };
        command.Validators.Add(result =>
        {
            if ((result.GetValue(archive) is null) == (result.GetValue(synthetic) is null))
                result.AddError("Give exactly one of --archive or --synthetic.");
        });
        command.SetAction(parse =>
        {
            Action<string> skipped = reason => AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[yellow]skipped[/] {reason}");
            int seedValue = parse.GetValue(seed);
            try
            {
                var patches = parse.GetValue(archive) is { } folder
                    ? PatchSource.Archive(folder.FullName, skipped).ToList()
                    : PatchSource.Synthetic(parse.GetValue(synthetic)!.Value, seedValue, skipped).ToList();
                var started = Stopwatch.GetTimestamp();
                var hasher = Fit(parse.GetValue(method)!, patches, parse.GetValue(bits), seedValue, parse.GetValue(descriptor)!);
                var elapsed = Stopwatch.GetElapsedTime(started);
                var directory = parse.GetValue(output)!;
                directory.Create();
                var path = Path.Combine(directory.FullName, $"{hasher.Version}.json");
                using (var file = File.Create(path)) hasher.Save(file);
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                    $"fitted {hasher.Version} on {patches.Count} patches ({string.Join("+", hasher.Modalities.Order())}) in {elapsed.TotalSeconds:F1} s; wrote {path}");
                return 0;
            }
            catch (Exception e) when (e is DirectoryNotFoundException or InvalidDataException or ArgumentException)
            {
                AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"[red]{e.Message}[/]");
                return 2;
            }
        });
        return command;
    }

    /// <summary>Fits <paramref name="method"/> (lsh, kulsh, ksh, mch) with the descriptor selection fitted on the same patches.</summary>
    public static IPatchHasher Fit(string method, IReadOnlyList<Patch> patches, int bits, int seed, string descriptorSelection)
    {
        if (patches.Count < 2) throw new ArgumentException($"Fitting needs at least 2 readable patches; the archive has {patches.Count}.", nameof(patches));
        var descriptor = PatchDescriptor.Fit(descriptorSelection, patches, seed);
        return method switch
        {
            "lsh" => LshHasher.Fit(patches, bits, seed, descriptor),
            "kulsh" => KernelLshHasher.Fit(patches, bits, seed, descriptor: descriptor),
            "ksh" => SupervisedKernelHasher.Fit(SupervisedSample(patches, seed), bits, seed, descriptor: descriptor),
            "mch" => PrimitiveMultiCodeHasher.Fit(patches, bits, seed, descriptor),
            _ => throw new ArgumentException($"Unknown method '{method}': use lsh, kulsh, ksh or mch.", nameof(method)),
        };
    }

    /// <summary>Labelled patches with BigEarthNet labels in 19 classes, at most <see cref="SupervisedSampleCap"/> per modality.</summary>
    private static List<Patch> SupervisedSample(IReadOnlyList<Patch> patches, int seed)
    {
        var random = new Random(seed);
        return patches.Select(p => p with { Labels = LandCoverClasses.ForScoring(p) })
            .Where(p => p.Labels.Count > 0)
            .GroupBy(p => p.Modality)
            .SelectMany(g => g.OrderBy(_ => random.Next()).Take(SupervisedSampleCap))
            .ToList();
    }
}
