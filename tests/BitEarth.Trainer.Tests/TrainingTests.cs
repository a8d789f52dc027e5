using BitEarth.Core.Patches;
using BitEarth.Trainer.Training;
using Xunit.Abstractions;

namespace BitEarth.Trainer.Tests;

public class TrainingTests(TrainedPair trained, ITestOutputHelper output) : IClassFixture<TrainedPair>
{
    [Fact]
    public void Two_epochs_improve_validation_map_over_the_untrained_net()
    {
        var untrained = trained.Encoders.History[0].ValidationMap;
        var best = trained.Encoders.Best;
        output.WriteLine($"cross-modal small CNN, 32 bits, 320 train / 80 validation pairs: mAP@10 untrained {untrained:F3}, " +
            $"best epoch {best.Epoch} {best.ValidationMap:F3}, training {trained.TrainingTime.TotalSeconds:F1} s");
        Assert.Equal(3, trained.Encoders.History.Count);
        Assert.True(best.ValidationMap > untrained + 0.05, $"mAP@10 {best.ValidationMap:F3} vs untrained {untrained:F3}");
    }

    [Fact]
    public void A_frozen_pretrained_backbone_trains_only_the_head_on_cached_features()
    {
        var weights = BitEarth.Trainer.Pretrained.PretrainedBackbone.Find(out var missing) ?? throw new InvalidOperationException(missing);
        var s2Only = LabelledPatches.Generate(pairs: 80, seed: 9).Where(p => p.Modality == Modality.S2).Select(p => p with { PairedId = null });
        var options = new TrainingOptions
        {
            Preset = EncoderPreset.ResNet, ResNetDepth = 18, PretrainedWeights = weights, TrainableStages = 0, InputSize = 32,
            Bits = 32, Epochs = 20, BatchSize = 16, Loss = HashLoss.Mse, Seed = 4,
        };
        using var encoders = new HashTrainer(options).Train(s2Only, new HashSet<Modality> { Modality.S2 });
        Assert.IsType<Models.FrozenFeatureEncoder>(encoders.Networks[Modality.S2]);
        Assert.Equal(Bands.S2.Count, encoders.Inputs[Modality.S2].Bands.Count);
        var untrained = encoders.History[0].ValidationMap;
        output.WriteLine($"frozen ResNet-18, 32 bits, 64 train / 16 validation: mAP@10 untrained {untrained:F3}, best epoch {encoders.Best.Epoch} {encoders.Best.ValidationMap:F3}");
        Assert.True(encoders.Best.ValidationMap > untrained, $"mAP@10 {encoders.Best.ValidationMap:F3} vs untrained {untrained:F3}");
    }

    [Fact]
    public void Same_seed_gives_the_same_encoder()
    {
        var options = TrainedPair.Options with { Epochs = 1 };
        var patches = LabelledPatches.Generate(pairs: 120, seed: 3);
        var s2 = patches.Where(p => p.Modality == Modality.S2).Take(10).ToList();
        var only = new HashSet<Modality> { Modality.S2 };
        using var first = new HashTrainer(options).Train(patches, only);
        using var second = new HashTrainer(options).Train(patches, only);
        using var other = new HashTrainer(options with { Seed = 8 }).Train(patches, only);
        Assert.Equal(first.Outputs(s2), second.Outputs(s2));
        Assert.NotEqual(first.Outputs(s2), other.Outputs(s2));
    }

    [Fact]
    public void Normalisation_statistics_come_from_the_training_split()
    {
        var s2 = trained.Encoders.Inputs[Modality.S2];
        Assert.Equal(Bands.S2, s2.Bands);
        Assert.All(s2.Mean, m => Assert.InRange(m, 500f, 3500f));
        Assert.All(s2.Std, s => Assert.True(s > 0));
    }

    [Fact]
    public void Single_modality_training_needs_no_pairs()
    {
        var s2Only = LabelledPatches.Generate(pairs: 60, seed: 5).Where(p => p.Modality == Modality.S2).Select(p => p with { PairedId = null });
        using var encoders = new HashTrainer(TrainedPair.Options with { Epochs = 1 }).Train(s2Only, new HashSet<Modality> { Modality.S2 });
        Assert.Equal([Modality.S2], encoders.Networks.Keys);
    }
}
