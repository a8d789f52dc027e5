using BitEarth.Core.Patches;

namespace BitEarth.Core.Stores;

/// <summary>What the archive knows about a patch apart from its code: where it came from and what it shows.</summary>
public sealed record PatchRecord(
    string Id,
    Modality Modality,
    IReadOnlyList<string> Labels,
    string Blob,
    int Width,
    int Height,
    string? PairedId,
    DateTimeOffset? AcquiredAt);
