using System.Diagnostics;
using BitEarth.Core.Patches;
using BitEarth.Trainer.Training;

namespace BitEarth.Trainer.Tests;

/// <summary>One 2-epoch cross-modal small-CNN training on labelled synthetic pairs, shared by the tests that need a trained encoder.</summary>
public sealed class TrainedPair : IDisposable
{
    public static readonly TrainingOptions Options = new() { Bits = 32, Epochs = 2, BatchSize = 100, InputSize = 16, Seed = 7 };

    public TrainedPair()
    {
        Patches = LabelledPatches.Generate(pairs: 400, seed: 1);
        var clock = Stopwatch.StartNew();
        Encoders = new HashTrainer(Options).Train(Patches, new HashSet<Modality> { Modality.S1, Modality.S2 });
        TrainingTime = clock.Elapsed;
    }

    public List<Patch> Patches { get; }

    public TrainedEncoders Encoders { get; }

    public TimeSpan TrainingTime { get; }

    public void Dispose() => Encoders.Dispose();
}
