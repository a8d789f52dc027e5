using System.Diagnostics;
using System.Globalization;
using BitEarth.Core.Evaluation;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Trainer.Evaluation;
using BitEarth.Trainer.Training;
using Spectre.Console;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// `evaluate --methods`: the literature's ladder on one archive in one table. Each method (optionally with its
/// descriptor, "kulsh:spectral+lbp") is fitted on the training share of every split and scored by
/// <see cref="MethodComparison"/> on the held-out share, per code length and modality; mean ± standard deviation over
/// the splits. The deep method trains the --preset's encoder (<see cref="DeepMethod"/>).
/// Writes the PNGs of <see cref="MethodPlots"/>: mAP@k against code length per method and precision-recall curves at
/// the longest code, one pair per modality when the archive has two.
/// </summary>
public static class MethodsTable
{
    public static readonly IReadOnlyList<string> Known = ["lsh", "kulsh", "ksh", "mch", "deep"];

    /// <summary>A method and the descriptor its classical variants project, or the deep encoder's training options.</summary>
    public sealed record Method(string Name, string Descriptor, TrainingOptions? Deep = null)
    {
        public string Label => Name == "deep" ? $"deep {(Deep is null ? "" : EvaluateCommand.Describe(Deep))}".TrimEnd()
            : Descriptor == "spectral" ? Name : $"{Name}:{Descriptor}";

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

    /// <summary>The scores of one method, code length and modality over the splits, and why the others were not scored.</summary>
    private sealed record Cell(List<MethodComparison.Scores> Scores, List<string> Unscored);

    /// <summary>
    /// Every deep method must carry its <see cref="Method.Deep"/> options. Rows are per modality: a query ranks the
    /// held-out patches of its own modality, and a modality a method could not be fitted on shows "n/a".
    /// </summary>
    public static void Run(IReadOnlyList<Patch> patches, IReadOnlyList<Method> methods, int[] codeLengths, int baseSeed,
        double testFraction, int repeats, int k, DirectoryInfo plots)
    {
        var scored = patches.Select(p => p with { Labels = LandCoverClasses.ForScoring(p) }).ToList();
        var modalities = scored.Select(p => p.Modality).Distinct().Order().ToList();
        int testCount = (int)Math.Round(scored.Count * testFraction);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"{scored.Count} patches ({string.Join("+", modalities)}): {scored.Count - testCount} train, {testCount} test, {repeats} split(s), k = {k}");
        var results = new Dictionary<(string Method, int Bits, Modality Modality), Cell>();
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            int seed = baseSeed + repeat;
            var random = new Random(seed);
            var shuffled = scored.OrderBy(_ => random.Next()).ToList();
            var test = shuffled.Take(testCount).ToList();
            var training = shuffled.Skip(testCount).ToList();
            foreach (var method in methods)
                foreach (int bits in codeLengths)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var fitted = Fit(method, training, bits, seed);
                    var fitTime = Stopwatch.GetElapsedTime(started);
                    int encoders = modalities.Select(fitted.For).OfType<IPatchHasher>().Distinct().Count();
                    if (method.Name == "deep" && encoders > 0)
                        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                            $"split {repeat + 1}, {method.Label}, {bits} bits: {(encoders == 1 ? "one encoder" : "one encoder per modality")} for {string.Join("+", fitted.Modalities.Order())}");
                    foreach (var modality in modalities)
                    {
                        if (!results.TryGetValue((method.Label, bits, modality), out var cell)) results[(method.Label, bits, modality)] = cell = new([], []);
                        var queries = test.Where(p => p.Modality == modality).ToList();
                        if (fitted.For(modality) is not { } hasher) cell.Unscored.Add(fitted.Missing.GetValueOrDefault(modality, $"the training share held too few {modality} patches"));
                        else if (queries.Count == 0) cell.Unscored.Add($"the held-out share holds no {modality} patches");
                        else
                        {
                            var scores = MethodComparison.Score(hasher, fitTime, queries, k);
                            cell.Scores.Add(scores);
                            AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
                                $"split {repeat + 1}, {method.Label}, {bits} bits, {modality}: mAP@{k} {scores.Map:F3} (fit {fitTime.TotalSeconds:F1} s)");
                        }
                    }
                }
        }
        Print(results, k, repeats, baseSeed);
        var written = SavePlots(results, k, modalities.Count > 1, plots);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture, $"wrote {string.Join(", ", written)}");
    }

    /// <summary>
    /// A classical method is one hasher for the modalities its training share held at least 2 patches of; a method
    /// that cannot be fitted on the share at all has no hasher and says why.
    /// </summary>
    private static PerModalityHasher Fit(Method method, List<Patch> training, int bits, int seed)
    {
        if (method.Name == "deep")
            return DeepMethod.Fit(training, (method.Deep ?? throw new ArgumentException("A deep method needs its training options.", nameof(method))) with { Bits = bits, Seed = seed });
        var modalities = training.Select(p => p.Modality).ToHashSet();
        try
        {
            var hasher = FitCommand.Fit(method.Name, training, bits, seed, method.Descriptor);
            return PerModalityHasher.Of(hasher, modalities.Where(m => !hasher.Modalities.Contains(m))
                .ToDictionary(m => m, m => $"the training share held fewer than 2 {m} patches"));
        }
        catch (ArgumentException e)
        {
            return new PerModalityHasher(new Dictionary<Modality, IPatchHasher>(), modalities.ToDictionary(m => m, _ => e.Message));
        }
    }

    private static void Print(Dictionary<(string Method, int Bits, Modality Modality), Cell> results, int k, int repeats, int seed)
    {
        // Markdown, so the table pastes into docs/methods.md as printed, whatever the console's width.
        Console.WriteLine($"| method | bits | modality | mAP@{k} | WAP@{k} | ACG@{k} | NDCG@{k} | P@{k} | R@{k} | fit s | hash ms/patch | query ms | bytes/patch |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var ((method, bits, modality), cell) in results.OrderBy(r => r.Key.Bits))
        {
            var list = cell.Scores;
            string label = list.Count > 0 && cell.Unscored.Count > 0 ? $"{method} ({list.Count} of {repeats} splits)" : method;
            string[] figures = list.Count == 0 ? [.. Enumerable.Repeat("n/a", 10)] : [
                F(list, s => s.Map), F(list, s => s.Wap), F(list, s => s.Acg), F(list, s => s.Ndcg), F(list, s => s.Precision), F(list, s => s.Recall),
                Mean(list, s => s.FitSeconds, "F1"), Mean(list, s => s.HashMsPerPatch, "F3"), Mean(list, s => s.QueryMs, "F3"),
                list[0].BytesPerPatch.ToString(CultureInfo.InvariantCulture)];
            Console.WriteLine($"| {label} | {bits.ToString(CultureInfo.InvariantCulture)} | {modality} | {string.Join(" | ", figures)} |");
        }
        foreach (var ((method, bits, modality), cell) in results.Where(r => r.Value.Unscored.Count > 0))
            Console.WriteLine($"n/a: {method}, {bits} bits, {modality}, {cell.Unscored.Count} of {repeats} splits: {string.Join("; ", cell.Unscored.Distinct())}");
        if (repeats > 1) Console.WriteLine($"mean ± standard deviation over {repeats} splits (seeds {seed}..{seed + repeats - 1}); costs are means; a deep row's fit time covers all its encoders");

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

    /// <summary>The means over the splits that <see cref="MethodPlots"/> draws, per modality and method.</summary>
    private static IReadOnlyList<string> SavePlots(Dictionary<(string Method, int Bits, Modality Modality), Cell> results, int k, bool perModality, DirectoryInfo folder)
    {
        var seriesByModality = results.Where(r => r.Value.Scores.Count > 0).GroupBy(r => r.Key.Modality).ToDictionary(
            m => m.Key,
            m => (IReadOnlyList<MethodPlots.Series>)[.. m.GroupBy(r => r.Key.Method).Select(points =>
            {
                var ordered = points.OrderBy(r => r.Key.Bits).ToList();
                var longest = ordered[^1];
                // a split whose held-out share held one patch of the modality ranked nothing: it has no curve
                var curves = longest.Value.Scores.Where(s => s.RecallCurve.Length > 0)
                    .Select(s => MethodPlots.InterpolatedPrecision(s.RecallCurve, s.PrecisionCurve)).ToList();
                return new MethodPlots.Series(points.Key,
                    [.. ordered.Select(r => (r.Key.Bits, r.Value.Scores.Average(s => s.Map)))],
                    longest.Key.Bits,
                    curves.Count == 0 ? [] : [.. MethodPlots.RecallLevels],
                    curves.Count == 0 ? [] : [.. MethodPlots.RecallLevels.Select((_, i) => curves.Average(c => c[i]))]);
            })]);
        return MethodPlots.Save(seriesByModality, k, perModality, folder);
    }
}
