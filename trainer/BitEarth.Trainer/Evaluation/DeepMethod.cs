using System.Diagnostics.CodeAnalysis;
using BitEarth.Core.Evaluation;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Export;
using BitEarth.Trainer.Training;

namespace BitEarth.Trainer.Evaluation;

/// <summary>
/// The deep row of `evaluate --methods`: the encoder the given preset and backbone options train on a training share,
/// exported and reloaded as the ONNX package the service would run. One shared cross-modal encoder when every S1 patch
/// of the share has its S2 pair there (the cross-modal trainer learns from pairs alone) and the pairs are enough to
/// train on; otherwise, as on a share drawn patch by patch, one encoder per modality, each from all of that modality's
/// patches. A modality with too few patches to train on gets no encoder and the trainer's reason.
/// </summary>
public static class DeepMethod
{
    public static PerModalityHasher Fit(IReadOnlyList<Patch> training, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(training);
        var modalities = training.Select(p => p.Modality).ToHashSet();
        // Too few pairs for the shared encoder (it ignores S2 patches without an S1): each modality alone may still train.
        if (PairsEveryS1(training) && TryTrain(training, modalities, options, out var shared, out _)) return PerModalityHasher.Of(shared);
        var hashers = new Dictionary<Modality, IPatchHasher>();
        var missing = new Dictionary<Modality, string>();
        foreach (var modality in modalities.Order())
        {
            if (TryTrain([.. training.Where(p => p.Modality == modality)], new HashSet<Modality> { modality }, options, out var hasher, out var reason))
                hashers[modality] = hasher;
            else missing[modality] = reason;
        }
        return new PerModalityHasher(hashers, missing);
    }

    /// <summary>Whether every S1 patch is paired (by PairedId either way, as <see cref="TrainingExample"/> pairs them) with an S2 patch of the share.</summary>
    public static bool PairsEveryS1(IReadOnlyList<Patch> training)
    {
        var s2 = training.Where(p => p.Modality == Modality.S2).ToList();
        var s2Ids = s2.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var pairedS1 = s2.Where(p => p.PairedId is not null).Select(p => p.PairedId!).ToHashSet(StringComparer.Ordinal);
        return training.Where(p => p.Modality == Modality.S1)
            .All(s1 => (s1.PairedId is { } id && s2Ids.Contains(id)) || pairedS1.Contains(s1.Id));
    }

    /// <summary>Trains and reloads the exported package; false with the trainer's reason when the patches are too few.</summary>
    private static bool TryTrain(IReadOnlyList<Patch> training, IReadOnlySet<Modality> modalities, TrainingOptions options,
        [NotNullWhen(true)] out IPatchHasher? hasher, out string reason)
    {
        TrainedEncoders trained;
        try { trained = new HashTrainer(options).Train(training, modalities); }
        catch (ArgumentException e)
        {
            (hasher, reason) = (null, e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
            return false;
        }
        using (trained)
        using (var zip = new MemoryStream())
        {
            EncoderExport.ToPackage(trained, $"deep-eval-{options.Bits}", "evaluation split", DateTimeOffset.UtcNow).Write(zip);
            zip.Position = 0;
            (hasher, reason) = (OnnxHasher.Load(zip), "");
        }
        return true;
    }
}
