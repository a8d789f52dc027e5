namespace BitEarth.Core.Query;

/// <summary>
/// A query whose target the active encoder cannot rank honestly: a modality it has no model for, or another modality
/// (or "any" across both) when its modalities do not share one code space. Answered with the reason, never a ranking.
/// </summary>
public sealed class QueryTargetException(string reason) : Exception(reason);
