using BitEarth.Core.Patches;
using BitEarth.Trainer.Training;

namespace BitEarth.Trainer.Tests;

public class TrainingExampleTests
{
    [Fact]
    public void Cross_modal_samples_are_the_pairs_and_unpaired_patches_are_left_out()
    {
        var patches = LabelledPatches.Generate(pairs: 3, seed: 2);
        var lonely = patches[0] with { Id = "lonely", PairedId = null };
        var examples = TrainingExample.From([.. patches, lonely], new HashSet<Modality> { Modality.S1, Modality.S2 });
        Assert.Equal(3, examples.Count);
        Assert.All(examples, e => Assert.Equal(e.Views[Modality.S1].PairedId, e.Views[Modality.S2].Id));
    }

    [Fact]
    public void Single_modality_samples_are_every_patch_of_that_modality()
    {
        var patches = LabelledPatches.Generate(pairs: 4, seed: 2);
        var examples = TrainingExample.From(patches, new HashSet<Modality> { Modality.S1 });
        Assert.Equal(4, examples.Count);
        Assert.All(examples, e => Assert.Equal(Modality.S1, Assert.Single(e.Views).Key));
    }
}
