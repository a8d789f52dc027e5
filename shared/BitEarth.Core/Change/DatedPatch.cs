using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Change;

/// <summary>A patch as query by change sees it: its code, where (<see cref="PlaceKey"/>) and when it was seen, and its labels.</summary>
public sealed record DatedPatch(string Id, Modality Modality, string? Place, DateTimeOffset? AcquiredAt, HammingCode Code, IReadOnlyList<string> Labels);
