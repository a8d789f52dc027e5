namespace BitEarth.Trainer.Training;

/// <summary>
/// Mean training loss of an epoch (epoch 0: before training, loss NaN) and the validation mAP@k after it (null when
/// training keeps no validation split).
/// </summary>
public sealed record EpochReport(int Epoch, double Loss, double? ValidationMap, TimeSpan Elapsed);

/// <summary>Where training is, for progress bars.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, EpochReport? Finished);
