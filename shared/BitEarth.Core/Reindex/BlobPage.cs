using BitEarth.Core.Patches;

namespace BitEarth.Core.Reindex;

/// <summary>Patch blob names in ordinal order after a cursor; <see cref="Next"/> is null on the last page.</summary>
public sealed record BlobPage(IReadOnlyList<string> Names, string? Next);
