namespace BitEarth.Functions.Query;

/// <summary>
/// JSON body of POST api/query. <c>path</c> is optional: "in-process" or "durable-fan-out" (or "durable") (default:
/// the app setting BitEarth:QueryPath, else in-process).
/// </summary>
public sealed record QueryRequestBody(string? PatchId, int? K, string? Target, string? Path)
{
    /// <summary>[west, south, east, north] in WGS84 degrees: results whose footprint intersects it.</summary>
    public IReadOnlyList<double>? Bbox { get; init; }

    /// <summary>ISO 8601 bounds on the acquisition time (inclusive).</summary>
    public string? From { get; init; }

    public string? To { get; init; }

    /// <summary>Results carrying any of these labels.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>Relevance feedback: patch ids the code moves toward (relevant) and away from (irrelevant; also left out).</summary>
    public IReadOnlyList<string>? Relevant { get; init; }

    public IReadOnlyList<string>? Irrelevant { get; init; }

    /// <summary>Each result with its acquisition time, tile and footprint (one metadata read per result).</summary>
    public bool? Details { get; init; }
}
