namespace BitEarth.Functions.Query;

/// <summary>
/// JSON body of POST api/query/change: two archived patch ids of one place, earlier first. <c>metric</c> is optional:
/// "xor" (default: the change codes before XOR after), "sum" (both dates' distances) or "after" (the later date alone).
/// </summary>
public sealed record QueryChangeRequestBody(string? Before, string? After, int? K, string? Metric);
