using BitEarth.Core.Stores;

namespace BitEarth.Core.Residency;

/// <summary>A hit of a whole-modality search with the record it points at.</summary>
public sealed record RankedPatch(long Key, int Distance, CodeRecord Record);
