namespace BitEarth.Functions.Explorer;

/// <summary>One static file of the explorer: its bytes, content type and ETag.</summary>
public sealed record Asset(byte[] Content, string ContentType, string ETag);
