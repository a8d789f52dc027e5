using BitEarth.Core.Patches;
using BitEarth.Trainer.Evaluation;
using BitEarth.Trainer.Training;

namespace BitEarth.Trainer.Tests;

/// <summary>The deep row's encoders: shared across modalities only when the share pairs every S1 patch; else one per modality.</summary>
public sealed class DeepMethodTests
{
    private static readonly TrainingOptions Quick = new() { Bits = 16, Epochs = 1, BatchSize = 8, InputSize = 16, Seed = 3 };

    [Fact]
    public void A_share_pairing_every_s1_patch_trains_one_cross_modal_encoder()
    {
        var training = LabelledPatches.Generate(pairs: 12, seed: 1);
        Assert.True(DeepMethod.PairsEveryS1(training));

        using var fitted = DeepMethod.Fit(training, Quick);

        Assert.Same(fitted.For(Modality.S1), fitted.For(Modality.S2));
        Assert.True(fitted.For(Modality.S1)!.SharesCodeSpace);
        Assert.Empty(fitted.Missing);
    }

    [Fact]
    public void An_unpaired_share_trains_one_encoder_per_modality_and_names_a_modality_too_small_to_train()
    {
        // 12 S2 patches, 5 S1 patches whose S2 pairs are not in the share.
        var patches = LabelledPatches.Generate(pairs: 17, seed: 2);
        var training = patches.Where((p, i) => p.Modality == Modality.S2 ? i < 24 : i >= 24).ToList();
        Assert.False(DeepMethod.PairsEveryS1(training));

        using var fitted = DeepMethod.Fit(training, Quick);

        Assert.Equal([Modality.S2], fitted.Modalities);
        Assert.False(fitted.For(Modality.S2)!.Modalities.Contains(Modality.S1));
        Assert.Contains("Need at least 6 samples with S1, got 5", fitted.Missing[Modality.S1]);
    }

    [Fact]
    public void Too_few_pairs_for_a_shared_encoder_fall_back_to_one_per_modality()
    {
        // 3 pairs and 9 S2 patches without an S1: every S1 is paired, but 3 pairs are too few to train on.
        var patches = LabelledPatches.Generate(pairs: 12, seed: 5);
        var training = patches.Where((p, i) => p.Modality == Modality.S2 || i < 6).ToList();
        Assert.True(DeepMethod.PairsEveryS1(training));

        using var fitted = DeepMethod.Fit(training, Quick);

        Assert.Equal([Modality.S2], fitted.Modalities);
        Assert.Equal("Need at least 6 samples with S1, got 3.", fitted.Missing[Modality.S1]);
    }

    [Fact]
    public void Five_samples_are_too_few_rather_than_a_validation_split_of_two()
    {
        var s2 = LabelledPatches.Generate(pairs: 5, seed: 4).Where(p => p.Modality == Modality.S2).ToList();
        var error = Assert.Throws<ArgumentException>(() => new HashTrainer(Quick).Train(s2, new HashSet<Modality> { Modality.S2 }));
        Assert.Contains("Need at least 6 samples", error.Message);
    }
}
