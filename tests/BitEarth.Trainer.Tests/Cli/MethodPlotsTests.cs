using BitEarth.Core.Patches;
using BitEarth.Trainer.Cli;
using ScottPlot.Plottables;

namespace BitEarth.Trainer.Tests.Cli;

/// <summary>The --methods plots keep a dozen methods apart and give each modality its own pair.</summary>
public sealed class MethodPlotsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("bitearth-plots-");

    public void Dispose() => _folder.Delete(recursive: true);

    // 14 series: as many as the BigEarthNet table's rows, more than the ten colours of the palette.
    private static readonly IReadOnlyList<MethodPlots.Series> Fourteen = [.. Enumerable.Range(0, 14).Select(i =>
        new MethodPlots.Series($"method {i}", [(16, 0.5 + i * 0.01), (64, 0.6 + i * 0.01)], 64, [0.2, 0.5], [0.7, 0.6]))];

    [Fact]
    public void Every_series_of_both_plots_has_its_own_look_and_legend_entry()
    {
        foreach (var plot in new[] { MethodPlots.MapAgainstBits(Fourteen, 5, null), MethodPlots.PrecisionRecall(Fourteen, null) })
        {
            var lines = plot.GetPlottables<Scatter>().ToList();
            Assert.Equal(14, lines.Count);
            Assert.Equal(14, lines.Select(l => (l.Color, l.MarkerShape, l.LinePattern)).Distinct().Count());
            Assert.Equal(14, lines.Select(l => l.LegendText).Distinct().Count());
            Assert.All(lines, l => Assert.True(l.MarkerSize > 0));
        }
    }

    [Fact]
    public void Interpolated_precision_at_a_level_is_the_best_precision_of_any_rank_that_reaches_it()
    {
        // relevant, not, relevant, not: 2 relevant in a database of 4
        double[] recall = [0.5, 0.5, 1, 1];
        double[] precision = [1, 0.5, 2 / 3.0, 0.5];

        var interpolated = MethodPlots.InterpolatedPrecision(recall, precision);

        Assert.Equal(MethodPlots.RecallLevels.Count, interpolated.Length);
        Assert.All(interpolated.Take(6), p => Assert.Equal(1, p)); // levels 0 to 0.5
        Assert.All(interpolated.Skip(6), p => Assert.Equal(2 / 3.0, p, 12)); // levels 0.6 to 1
    }

    [Fact]
    public void Interpolated_precision_is_zero_at_levels_no_rank_reaches()
    {
        var interpolated = MethodPlots.InterpolatedPrecision([0.25], [1]);
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], interpolated);
    }

    [Fact]
    public void Two_modalities_get_a_pair_of_plots_each_and_one_modality_the_plain_names()
    {
        var twoModalities = new Dictionary<Modality, IReadOnlyList<MethodPlots.Series>> { [Modality.S2] = Fourteen, [Modality.S1] = Fourteen };
        var written = MethodPlots.Save(twoModalities, 5, perModality: true, _folder);
        Assert.Equal(["map-vs-bits-S1.png", "precision-recall-S1.png", "map-vs-bits-S2.png", "precision-recall-S2.png"], written.Select(Path.GetFileName));
        Assert.All(written, path => Assert.True(new FileInfo(path).Length > 0));

        var single = MethodPlots.Save(new Dictionary<Modality, IReadOnlyList<MethodPlots.Series>> { [Modality.S2] = Fourteen }, 5, perModality: false, _folder);
        Assert.Equal(["map-vs-bits.png", "precision-recall.png"], single.Select(Path.GetFileName));
    }
}
