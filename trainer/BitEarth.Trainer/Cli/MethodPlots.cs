using BitEarth.Core.Patches;
using ScottPlot;
using ScottPlot.Plottables;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// The PNGs of `evaluate --methods`: mAP@k against code length per method, and each method's precision-recall curve
/// at its longest code (interpolated precision, mean over the splits). Every series has its own colour, marker and (past ten series) line pattern, and the legend
/// sits beside the data, not on it. An archive of two modalities gets one pair of plots per modality, as its table
/// has one row per modality: a query ranks only its own modality's patches.
/// </summary>
public static class MethodPlots
{
    /// <summary>One method's means on one modality: mAP@k per code length, and the precision-recall curve at <see cref="CurveBits"/>.</summary>
    public sealed record Series(string Method, IReadOnlyList<(int Bits, double Map)> Maps, int CurveBits, double[] Recall, double[] Precision);

    /// <summary>The recall levels 0, 0.1, ..., 1 at which the splits' precision-recall curves are averaged.</summary>
    public static IReadOnlyList<double> RecallLevels { get; } = [.. Enumerable.Range(0, 11).Select(i => i / 10.0)];

    /// <summary>
    /// Interpolated precision of one split's curve (precision and recall after each rank) at <see cref="RecallLevels"/>:
    /// the highest precision at any rank whose recall reaches the level, 0 where none does. The held-out share of a
    /// modality differs in size between splits, so their curves end at different ranks but all span recall 0 to 1.
    /// </summary>
    public static double[] InterpolatedPrecision(IReadOnlyList<double> recall, IReadOnlyList<double> precision)
    {
        ArgumentNullException.ThrowIfNull(recall);
        ArgumentNullException.ThrowIfNull(precision);
        if (recall.Count != precision.Count) throw new ArgumentException("A curve needs one recall per precision.", nameof(recall));
        // a little slack, so that a recall of 0.3 summed from thirds still reaches the level 0.3
        return [.. RecallLevels.Select(level => Enumerable.Range(0, recall.Count).Where(i => recall[i] >= level - 1e-9).Select(i => precision[i]).DefaultIfEmpty(0).Max())];
    }

    private static readonly MarkerShape[] Markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.FilledTriangleDown, MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp,
    ];

    private const int Width = 1000;
    private const int Height = 500;

    /// <summary>
    /// Writes map-vs-bits.png and precision-recall.png into <paramref name="folder"/>, or, with
    /// <paramref name="perModality"/>, map-vs-bits-S2.png, precision-recall-S2.png and so on; returns the paths written.
    /// </summary>
    public static IReadOnlyList<string> Save(IReadOnlyDictionary<Modality, IReadOnlyList<Series>> seriesByModality, int k, bool perModality, DirectoryInfo folder)
    {
        ArgumentNullException.ThrowIfNull(seriesByModality);
        ArgumentNullException.ThrowIfNull(folder);
        folder.Create();
        var written = new List<string>();
        foreach (var (modality, series) in seriesByModality.OrderBy(s => s.Key))
        {
            string suffix = perModality ? $"-{modality}" : "";
            string? title = perModality ? $"{modality} queries against the held-out {modality} patches" : null;
            written.Add(Path.Combine(folder.FullName, $"map-vs-bits{suffix}.png"));
            MapAgainstBits(series, k, title).SavePng(written[^1], Width, Height);
            written.Add(Path.Combine(folder.FullName, $"precision-recall{suffix}.png"));
            PrecisionRecall(series, title).SavePng(written[^1], Width, Height);
        }
        return written;
    }

    public static Plot MapAgainstBits(IReadOnlyList<Series> series, int k, string? title)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        for (int i = 0; i < series.Count; i++)
        {
            var line = plot.Add.Scatter(series[i].Maps.Select(m => (double)m.Bits).ToArray(), series[i].Maps.Select(m => m.Map).ToArray());
            Style(line, i, series[i].Method);
        }
        plot.Axes.Bottom.Label.Text = "code length (bits)";
        plot.Axes.Left.Label.Text = $"mAP@{k}";
        return Finish(plot, title);
    }

    public static Plot PrecisionRecall(IReadOnlyList<Series> series, string? title)
    {
        ArgumentNullException.ThrowIfNull(series);
        var plot = new Plot();
        for (int i = 0; i < series.Count; i++)
            Style(plot.Add.Scatter(series[i].Recall, series[i].Precision), i, $"{series[i].Method} ({series[i].CurveBits} bits)");
        plot.Axes.Bottom.Label.Text = "recall";
        plot.Axes.Left.Label.Text = "precision";
        return Finish(plot, title);
    }

    private static void Style(Scatter line, int index, string legend)
    {
        var palette = new ScottPlot.Palettes.Category10();
        line.Color = palette.GetColor(index);
        line.MarkerShape = Markers[index % Markers.Length];
        line.MarkerSize = 7;
        line.LineWidth = 1.5f;
        // Past ten series a colour comes back (with another marker); the dashes tell the two apart at a glance.
        line.LinePattern = index < palette.Colors.Length ? LinePattern.Solid : LinePattern.Dashed;
        line.LegendText = legend;
    }

    private static Plot Finish(Plot plot, string? title)
    {
        if (title is not null) plot.Title(title);
        plot.ShowLegend(Edge.Right);
        return plot;
    }
}
