namespace BitEarth.Functions.Reindex;

/// <summary>The fit, then the re-index's batch and page sizes.</summary>
public sealed record FitAndReindexInput(FitPretrainedEncoderInput Fit, int BatchSize, int PageSize);
