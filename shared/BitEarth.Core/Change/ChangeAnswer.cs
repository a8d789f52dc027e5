namespace BitEarth.Core.Change;

/// <summary>The pairs of other places nearest to a query change, nearest first, and how many pairs were ranked.</summary>
public sealed record ChangeAnswer(string Encoder, ChangeMetric Metric, IReadOnlyList<ChangeHit> Results, int PairsScanned, double ElapsedMs);

/// <summary>One archive pair: its two patches, its distance to the query change, and what each date shows.</summary>
public sealed record ChangeHit(string Before, string After, int Distance, IReadOnlyList<string> LabelsBefore, IReadOnlyList<string> LabelsAfter,
    DateTimeOffset? AcquiredBefore, DateTimeOffset? AcquiredAfter);
