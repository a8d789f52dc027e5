using System.CommandLine;
using BitEarth.Trainer.Models;
using BitEarth.Trainer.Pretrained;
using BitEarth.Trainer.Training;

namespace BitEarth.Trainer.Cli;

/// <summary>
/// The ResNet backbone options train and evaluate share: --pretrained (default on for ResNet-18: the ImageNet
/// weights of <see cref="PretrainedBackbone"/>), --trainable-stages, --backbone-lr and --feature-stages.
/// </summary>
public sealed class BackboneOptions
{
    public Option<bool?> Pretrained { get; } = new("--pretrained") { Description = "ResNet-18 starts from ImageNet weights (default true for --preset ResNet --depth 18)" };

    public Option<int> TrainableStages { get; } = new("--trainable-stages")
    {
        Description = "ResNet: last backbone stages that train (0 = hash head only, 4 = all stages, 5 = stem too)",
        DefaultValueFactory = _ => ResNetEncoder.StageCount + 1,
    };

    public Option<double> BackboneLearningRate { get; } = new("--backbone-lr")
    {
        Description = "ResNet: backbone learning rate as a fraction of --lr (the hash head's)",
        DefaultValueFactory = _ => 1.0,
    };

    public Option<int[]> FeatureStages { get; } = new("--feature-stages")
    {
        Description = "Frozen ImageNet ResNet (--trainable-stages 0): stages 1..4 whose pooled outputs are the features, comma-separated",
        DefaultValueFactory = _ => [ResNetEncoder.StageCount],
        CustomParser = result =>
        {
            var stages = new List<int>();
            foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var stage)) stages.Add(stage);
                else result.AddError($"'{part}' is not a stage number.");
            }
            return [.. stages];
        },
    };

    public IEnumerable<Option> All => [Pretrained, TrainableStages, BackboneLearningRate, FeatureStages];

    /// <summary>
    /// The options with the pretrained weights resolved: the file's path, or null with <paramref name="notice"/>
    /// saying why training starts from scratch. Throws <see cref="ArgumentException"/> for combinations that cannot work.
    /// </summary>
    public TrainingOptions Apply(ParseResult parse, TrainingOptions options, out string? notice)
    {
        notice = null;
        options = options with
        {
            TrainableStages = parse.GetValue(TrainableStages), BackboneLearningRateScale = parse.GetValue(BackboneLearningRate),
            FeatureStages = parse.GetValue(FeatureStages)!,
        };
        bool resNet18 = options.Preset == EncoderPreset.ResNet && options.ResNetDepth == 18;
        bool pretrained = parse.GetValue(Pretrained) ?? resNet18;
        if (!pretrained) return options;
        if (!resNet18) throw new ArgumentException("--pretrained needs --preset ResNet --depth 18 (the only pretrained backbone here).");
        var path = PretrainedBackbone.Find(out string missing);
        if (path is null)
        {
            notice = missing;
            return options;
        }
        notice = $"starting from the ImageNet ResNet-18 weights in {path}";
        return options with { PretrainedWeights = path };
    }
}
