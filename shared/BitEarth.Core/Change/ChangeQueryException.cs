namespace BitEarth.Core.Change;

/// <summary>A before/after pair that is not a change of one place (same patch, two modalities, undated, out of order, two places).</summary>
public sealed class ChangeQueryException(string reason) : Exception(reason);
