namespace BitEarth.Functions.Query;

/// <summary>JSON body of POST api/query. <c>path</c> is optional: "durable" or "in-process" (default: the app setting, else "in-process").</summary>
public sealed record QueryRequestBody(string? PatchId, int? K, string? Target, string? Path);
