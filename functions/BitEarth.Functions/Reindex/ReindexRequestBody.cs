namespace BitEarth.Functions.Reindex;

/// <summary>
/// POST api/reindex body: an encoder version already in the encoders container, or new LSH parameters, or
/// "method": "resnet-itq" to fit the pretrained encoder on the archive ("lsh" is the default method); optionally
/// patches per activity and blob names per orchestration generation.
/// </summary>
public sealed record ReindexRequestBody(string? Encoder, int? Bits, int? Seed, int? BatchSize, int? PageSize, string? Method = null);
