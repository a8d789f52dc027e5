namespace BitEarth.Core.Patches;

/// <summary>One ingest blob for the patches container: its name (which tells the format) and its bytes.</summary>
public sealed record PatchBlob(string Name, byte[] Content);
