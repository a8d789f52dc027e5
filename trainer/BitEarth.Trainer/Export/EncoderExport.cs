using BitEarth.Onnx;
using BitEarth.Trainer.Training;

namespace BitEarth.Trainer.Export;

/// <summary>Turns trained encoders into an encoder package: one ONNX model per modality plus encoder.json.</summary>
public static class EncoderExport
{
    public static byte[] ToOnnx(Models.HashEncoder network, ModalityEncoder input)
    {
        var graph = new OnnxGraphBuilder();
        var output = network.ExportTo(graph, EncoderPackage.InputName);
        return graph.Build(EncoderPackage.InputName, [input.Bands.Count, input.InputSize, input.InputSize], output,
            EncoderPackage.OutputName, network.Bits);
    }

    public static EncoderPackage ToPackage(TrainedEncoders trained, string version, string trainingData, DateTimeOffset created)
    {
        var models = trained.Networks.ToDictionary(p => trained.Inputs[p.Key].Model, p => ToOnnx(p.Value, trained.Inputs[p.Key]));
        var best = trained.Best;
        // without a validation split there is no mAP to record and the exported epoch is simply the last
        var metrics = trained.HasValidation
            ? new Dictionary<string, double>
            {
                [$"validationMap@{trained.Options.MapAtK}"] = best.ValidationMap!.Value,
                ["bestEpoch"] = best.Epoch,
                ["untrainedValidationMap"] = trained.History[0].ValidationMap!.Value,
            }
            : new Dictionary<string, double> { ["lastEpoch"] = best.Epoch, ["validationFraction"] = 0 };
        var manifest = new EncoderManifest(version, trained.Options.Bits, trained.Inputs.Values.OrderBy(i => i.Modality).ToList(),
            trainingData, metrics, created, SharedCodeSpace: trained.Networks.Count > 1);
        return new EncoderPackage(manifest, models);
    }
}
