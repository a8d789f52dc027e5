namespace BitEarth.Functions.Query;

/// <summary>
/// JSON body of POST api/query. <c>path</c> is optional: "durable-fan-out" (or "durable") or "in-process" (default:
/// the app setting BitEarth:QueryPath, else the fan-out).
/// </summary>
public sealed record QueryRequestBody(string? PatchId, int? K, string? Target, string? Path);
