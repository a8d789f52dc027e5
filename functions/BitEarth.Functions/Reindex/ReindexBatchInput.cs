namespace BitEarth.Functions.Reindex;

public sealed record ReindexBatchInput(string Encoder, IReadOnlyList<string> Blobs);
