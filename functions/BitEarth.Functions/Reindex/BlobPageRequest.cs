namespace BitEarth.Functions.Reindex;

public sealed record BlobPageRequest(string? After, int Size);
