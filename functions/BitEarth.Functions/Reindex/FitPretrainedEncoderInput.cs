namespace BitEarth.Functions.Reindex;

/// <summary>What <see cref="FitPretrainedEncoder"/> fits: code length, seed of the sample and rotation, patches per modality.</summary>
public sealed record FitPretrainedEncoderInput(int Bits, int Seed, int SamplePerModality);
