namespace BitEarth.Core.Stores;

/// <summary>A listed blob with what tells a rewrite or a write still in progress apart: its length and last-modified time.</summary>
public sealed record BlobEntry(string Name, long Length, DateTimeOffset LastModified);
