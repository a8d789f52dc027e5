using BitEarth.Trainer.Training;
using ScottPlot;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// PNG of the training loss and the validation mAP@k per epoch, written beside the encoder package; the loss alone
/// when training kept no validation split.
/// </summary>
public static class TrainingPlot
{
    public static byte[] Png(IReadOnlyList<EpochReport> history, int k)
    {
        var plot = new Plot();
        var trained = history.Where(r => r.Epoch > 0).ToList();
        var loss = plot.Add.Scatter(trained.Select(r => (double)r.Epoch).ToArray(), trained.Select(r => r.Loss).ToArray());
        plot.Axes.Bottom.Label.Text = "epoch";
        plot.Axes.Left.Label.Text = "loss";
        if (history[0].ValidationMap is null)
            loss.LegendText = "training loss (no validation split)";
        else
        {
            loss.LegendText = "training loss";
            var map = plot.Add.Scatter(history.Select(r => (double)r.Epoch).ToArray(), history.Select(r => r.ValidationMap!.Value).ToArray());
            map.LegendText = $"validation mAP@{k}";
            map.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = $"mAP@{k}";
        }
        plot.Axes.SetLimitsX(-0.2, history.Count - 0.8); // epoch 0 (untrained) included
        plot.ShowLegend();
        return plot.GetImageBytes(800, 450, ImageFormat.Png);
    }
}
