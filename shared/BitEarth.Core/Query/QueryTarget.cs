namespace BitEarth.Core.Query;

/// <summary>Which modality's patches a query returns; "Any" searches both (cross-modal when the encoder is).</summary>
public enum QueryTarget { S1, S2, Any }
