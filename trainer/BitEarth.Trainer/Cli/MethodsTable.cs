using System.Diagnostics;
using System.Globalization;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Evaluation;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Training;
using ScottPlot;
using Spectre.Console;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// `evaluate --methods`: the literature's ladder on one archive in one table. Each method (optionally with its
/// descriptor, "kulsh:spectral+lbp") is fitted on the training share of every split and scored by
/// <see cref="MethodComparison"/> on the held-out share, per code length; mean ± standard deviation over the splits.
/// Writes map-vs-bits.png (mAP@k against code length per method) and precision-recall.png (curves at the longest code).
/// </summary>
public static class MethodsTable
{
    public static readonly IReadOnlyList<string> Known = ["lsh", "kulsh", "ksh", "mch", "deep"];

    /// <summary>A method and the descriptor its classical variants project.</summary>
    public sealed record Method(string Name, string Descriptor)
    {
        public string Label => Name == "deep" || Descriptor == "spectral" ? Name : $"{Name}:{Descriptor}";

        public static Method Parse(string text)
        {
            var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
            var name = parts[0].ToLowerInvariant();
            if (!Known.Contains(name)) throw new ArgumentException($"Unknown method '{parts[0]}': use {string.Join(", ", Known)}.", nameof(text));
            var descriptor = parts.Length > 1 ? parts[1] : "spectral";
            if (name == "deep" && parts.Length > 1) throw new ArgumentException("The deep encoder learns its own features: it takes no descriptor.", nameof(text));
            PatchDescriptor.Parse(descriptor); // refuses an unknown descriptor before any fitting starts
            return new Method(name, descriptor);
        }
    }

    public static void Run(IReadOnlyList<Patch> patches, IReadOnlyList<Method> methods, int[] codeLengths, TrainingOptions deepOptions,
        double testFraction, int repeats, int k, DirectoryInfo plots)
    {
        var scored = patches.Select(p => p with { Labels = LandCoverClasses.ForScoring(p) }).ToList();
        int testCount = (int)Math.Round(scored.Count * testFraction);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{scored.Count} patches ({string.Join("+", scored.Select(p => p.Modality).Distinct().Order())}): {scored.Count - testCount} train, {testCount} test, {repeats} split(s), k = {k}");
        var results = new Dictionary<(string Method, int Bits), List<MethodComparison.Scores>>();
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            int seed = deepOptions.Seed + repeat;
            var random = new Random(seed);
            var shuffled = scored.OrderBy(_ => random.Next()).ToList();
            var test = shuffled.Take(testCount).ToList();
            var training = shuffled.Skip(testCount).ToList();
            foreach (var method in methods)
                foreach (int bits in codeLengths)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var fitted = Fit(method, training, bits, seed, deepOptions);
                    var fitTime = Stopwatch.GetElapsedTime(started);
                    var scores = MethodComparison.Score(fitted.Hasher, fitTime, test, k);
                    if (!results.TryGetValue((method.Label, bits), out var list)) results[(method.Label, bits)] = list = [];
                    list.Add(scores);
                    AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                        $"split {repeat + 1}, {method.Label}, {bits} bits: mAP@{k} {scores.Map:F3} (fit {fitTime.TotalSeconds:F1} s)");
                }
        }
        Print(results, k, repeats, deepOptions.Seed);
        plots.Create();
        SavePlots(results, k, plots);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"wrote {Path.Combine(plots.FullName, "map-vs-bits.png")} and {Path.Combine(plots.FullName, "precision-recall.png")}");
    }

    /// <summary>A fitted hasher and what must be disposed with it (the deep encoder's ONNX sessions).</summary>
    private sealed class Fitted(IPatchHasher hasher) : IDisposable
    {
        public IPatchHasher Hasher { get; } = hasher;

        public void Dispose() => (Hasher as IDisposable)?.Dispose();
    }

    private static Fitted Fit(Method method, List<Patch> training, int bits, int seed, TrainingOptions deepOptions)
    {
        if (method.Name != "deep") return new Fitted(FitCommand.Fit(method.Name, training, bits, seed, method.Descriptor));
        var modalities = training.Select(p => p.Modality).ToHashSet();
        using var trained = new HashTrainer(deepOptions with { Bits = bits, Seed = seed }).Train(training, modalities, _ => { });
        using var zip = new MemoryStream();
        EncoderExport.ToPackage(trained, $"deep-eval-{bits}", "evaluation split", DateTimeOffset.UtcNow).Write(zip);
        zip.Position = 0;
        return new Fitted(OnnxHasher.Load(zip));
    }

    private static void Print(Dictionary<(string Method, int Bits), List<MethodComparison.Scores>> results, int k, int repeats, int seed)
    {
        // Markdown, so the table pastes into trainer/README.md as printed, whatever the console's width.
        Console.WriteLine($"| method | bits | mAP@{k} | WAP@{k} | ACG@{k} | NDCG@{k} | P@{k} | R@{k} | fit s | hash ms/patch | query ms | bytes/patch |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var ((method, bits), list) in results.OrderBy(r => r.Key.Bits))
            Console.WriteLine(string.Join(" | ", [
                $"| {method}", bits.ToString(CultureInfo.InvariantCulture),
                F(list, s => s.Map), F(list, s => s.Wap), F(list, s => s.Acg), F(list, s => s.Ndcg), F(list, s => s.Precision), F(list, s => s.Recall),
                Mean(list, s => s.FitSeconds, "F1"), Mean(list, s => s.HashMsPerPatch, "F3"), Mean(list, s => s.QueryMs, "F3"),
                $"{list[0].BytesPerPatch.ToString(CultureInfo.InvariantCulture)} |"]));
        if (repeats > 1) Console.WriteLine($"mean ± standard deviation over {repeats} splits (seeds {seed}..{seed + repeats - 1}); costs are means");

        static string F(List<MethodComparison.Scores> list, Func<MethodComparison.Scores, double> metric)
        {
            var values = list.Select(metric).ToArray();
            double mean = values.Average();
            if (values.Length == 1) return mean.ToString("F3", CultureInfo.InvariantCulture);
            double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            return string.Create(CultureInfo.InvariantCulture, $"{mean:F3} ± {sd:F3}");
        }

        static string Mean(List<MethodComparison.Scores> list, Func<MethodComparison.Scores, double> metric, string format) =>
            list.Average(metric).ToString(format, CultureInfo.InvariantCulture);
    }

    private static void SavePlots(Dictionary<(string Method, int Bits), List<MethodComparison.Scores>> results, int k, DirectoryInfo folder)
    {
        var byMethod = results.GroupBy(r => r.Key.Method).ToList();
        var map = new Plot();
        foreach (var method in byMethod)
        {
            var points = method.OrderBy(r => r.Key.Bits).ToList();
            var line = map.Add.Scatter(points.Select(r => (double)r.Key.Bits).ToArray(), points.Select(r => r.Value.Average(s => s.Map)).ToArray());
            line.LegendText = method.Key;
        }
        map.Axes.Bottom.Label.Text = "code length (bits)";
        map.Axes.Left.Label.Text = $"mAP@{k}";
        map.ShowLegend();
        map.SavePng(Path.Combine(folder.FullName, "map-vs-bits.png"), 800, 450);

        var pr = new Plot();
        foreach (var method in byMethod)
        {
            var (_, list) = method.MaxBy(r => r.Key.Bits);
            int length = list.Min(s => s.PrecisionCurve.Length);
            var recall = Enumerable.Range(0, length).Select(i => list.Average(s => s.RecallCurve[i])).ToArray();
            var precision = Enumerable.Range(0, length).Select(i => list.Average(s => s.PrecisionCurve[i])).ToArray();
            var line = pr.Add.Scatter(recall, precision);
            line.LegendText = $"{method.Key} ({method.Max(r => r.Key.Bits)} bits)";
            line.MarkerSize = 0;
        }
        pr.Axes.Bottom.Label.Text = "recall";
        pr.Axes.Left.Label.Text = "precision";
        pr.ShowLegend();
        pr.SavePng(Path.Combine(folder.FullName, "precision-recall.png"), 800, 450);
    }
}
