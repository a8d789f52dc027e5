using BitEarth.Core.Patches;
using BitEarth.Onnx;
using BitEarth.Trainer.Models;
using static TorchSharp.torch;

namespace BitEarth.Trainer.Training;

/// <summary>The exported epoch's encoders per modality with the input specs (bands, normalisation, size) they were trained with.</summary>
public sealed class TrainedEncoders(
    TrainingOptions options,
    IReadOnlyDictionary<Modality, HashEncoder> networks,
    IReadOnlyDictionary<Modality, ModalityEncoder> inputs,
    IReadOnlyList<EpochReport> history) : IDisposable
{
    public TrainingOptions Options { get; } = options;

    public IReadOnlyDictionary<Modality, HashEncoder> Networks { get; } = networks;

    public IReadOnlyDictionary<Modality, ModalityEncoder> Inputs { get; } = inputs;

    /// <summary>Epoch 0 is the untrained network; then one report per epoch.</summary>
    public IReadOnlyList<EpochReport> History { get; } = history;

    /// <summary>The exported epoch: the best by validation mAP@k, or the last one when there was no validation split.</summary>
    public EpochReport Best => HasValidation ? History.Skip(1).MaxBy(r => r.ValidationMap)! : History[^1];

    public bool HasValidation => History[0].ValidationMap is not null;

    /// <summary>Sigmoid outputs of the trained network for patches of one modality, row-major [N, Bits].</summary>
    public float[] Outputs(IReadOnlyList<Patch> patches)
    {
        var modality = patches[0].Modality;
        var spec = Inputs[modality];
        int size = spec.Bands.Count * spec.InputSize * spec.InputSize;
        var input = new float[patches.Count * size];
        for (int n = 0; n < patches.Count; n++) PatchInput.Prepare(patches[n], spec, input.AsSpan(n * size, size));
        using var batch = tensor(input, [patches.Count, spec.Bands.Count, spec.InputSize, spec.InputSize]);
        return Networks[modality].Infer(batch);
    }

    public void Dispose()
    {
        foreach (var network in Networks.Values) network.Dispose();
    }
}
