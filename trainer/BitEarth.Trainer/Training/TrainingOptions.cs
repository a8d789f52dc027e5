namespace BitEarth.Trainer.Training;

public enum EncoderPreset { SmallCnn, ResNet }

/// <summary>Triplet (pairwise, mined), Mse (code cosine onto label cosine, all pairs) or Csq (each code onto its class hash centre).</summary>
public enum HashLoss { Triplet, Mse, Csq }

/// <summary>Training settings; defaults follow the deep hashing literature (Adam 1e-3, weight decay 1e-4, batch 200, λ1 = 0.001, λ2 = 1).</summary>
public sealed record TrainingOptions
{
    public EncoderPreset Preset { get; init; } = EncoderPreset.SmallCnn;

    /// <summary>18, 34 or 50; used by the ResNet preset.</summary>
    public int ResNetDepth { get; init; } = 50;

    public int Bits { get; init; } = 32;

    /// <summary>
    /// The ImageNet ResNet-18 ONNX file to start the ResNet preset from (<see cref="Pretrained.PretrainedBackbone"/>;
    /// its own block layout, whatever <see cref="ResNetDepth"/> says); null trains from scratch.
    /// </summary>
    public string? PretrainedWeights { get; init; }

    /// <summary>ResNet preset: how many of the last backbone stages train (0: only the hash head; 4: all stages; 5: the stem too).</summary>
    public int TrainableStages { get; init; } = Models.ResNetEncoder.StageCount + 1;

    /// <summary>
    /// Frozen pretrained ResNet (<see cref="TrainableStages"/> 0): the stages (1..4) whose globally pooled outputs are
    /// the head's features, concatenated.
    /// </summary>
    public IReadOnlyList<int> FeatureStages { get; init; } = [Models.ResNetEncoder.StageCount];

    /// <summary>ResNet preset: the backbone's learning rate as a fraction of <see cref="LearningRate"/> (the head's).</summary>
    public double BackboneLearningRateScale { get; init; } = 1;

    public HashLoss Loss { get; init; } = HashLoss.Triplet;

    public int Epochs { get; init; } = 10;

    public int BatchSize { get; init; } = 200;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>λ1, weight of the quantization (push) term.</summary>
    public double QuantizationWeight { get; init; } = 0.001;

    /// <summary>λ2, weight of the bit balance term.</summary>
    public double BitBalanceWeight { get; init; } = 1;

    /// <summary>Triplet margin as a fraction of the code length (squared distances of sigmoid outputs range over 0..Bits).</summary>
    public double MarginFraction { get; init; } = 0.25;

    /// <summary>Side of the square network input; null takes the preset's (32 for the small CNN, 120 for ResNet).</summary>
    public int? InputSize { get; init; }

    /// <summary>
    /// A random resized crop (<see cref="RandomResizedCrop"/>) and a random flip/90° rotation (<see cref="D4Augmentation"/>)
    /// of every training sample.
    /// </summary>
    public bool Augment { get; init; } = true;

    /// <summary>
    /// Share of the samples held out to pick the best epoch; 0 trains on every sample and keeps the last epoch (on a
    /// few dozen patches the held-out ones teach more than the epoch choice gains).
    /// </summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>k of the per-epoch validation mAP@k.</summary>
    public int MapAtK { get; init; } = 10;

    public int Seed { get; init; } = 42;

    /// <summary>"cpu" or "cuda"; null takes CUDA when the CUDA backend finds a GPU, else the CPU.</summary>
    public string? Device { get; init; }

    public int EffectiveInputSize => InputSize ?? (Preset == EncoderPreset.SmallCnn ? 32 : 120);

    public void Validate()
    {
        BitEarth.Core.Codes.HammingCode.ValidateBits(Bits);
        if (Bits > 128) throw new ArgumentOutOfRangeException(nameof(Bits), Bits, "Encoders produce 8, 16, 32, 64 or 128 bits.");
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train at least one epoch.");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "A batch needs two samples to mine triplets.");
        if (ValidationFraction is < 0 or >= 1 || double.IsNaN(ValidationFraction))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction,
                "The validation fraction must lie in [0, 1): 0 trains on every sample without a validation split.");
        if (Preset == EncoderPreset.ResNet && !Models.ResNetEncoder.Depths.Contains(ResNetDepth))
            throw new ArgumentOutOfRangeException(nameof(ResNetDepth), ResNetDepth, "ResNet depth must be 18, 34 or 50.");
        if (TrainableStages is < 0 or > Models.ResNetEncoder.StageCount + 1)
            throw new ArgumentOutOfRangeException(nameof(TrainableStages), TrainableStages, "Trainable stages range over 0..5.");
        if (FeatureStages.Count == 0 || FeatureStages.Any(s => s is < 1 or > Models.ResNetEncoder.StageCount) || FeatureStages.Distinct().Count() != FeatureStages.Count)
            throw new ArgumentOutOfRangeException(nameof(FeatureStages), string.Join(",", FeatureStages), "Feature stages are distinct stages in 1..4.");
        if (BackboneLearningRateScale <= 0)
            throw new ArgumentOutOfRangeException(nameof(BackboneLearningRateScale), BackboneLearningRateScale, "Must be positive.");
        if (InputSize is < 8 or > 512)
            throw new ArgumentOutOfRangeException(nameof(InputSize), InputSize, "Input side must lie in 8..512 pixels.");
    }
}
