using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;

namespace BitEarth.Functions.Query;

/// <summary>A validated query: by archive id or by uploaded patch, k in 1..1000, a target (null: none given) and a path.</summary>
public sealed record ParsedQuery(string? PatchId, Patch? Upload, int K, QueryTarget? Target, string? Path)
{
    /// <summary>Filters and relevance feedback (none unless the request gives them).</summary>
    public QueryRefinements Refinements { get; init; } = QueryRefinements.None;
}

/// <summary>Turns POST api/query (JSON or multipart upload) into a <see cref="ParsedQuery"/> or a reason it is bad.</summary>
public static class QueryParser
{
    public const int MaxK = 1000;

    /// <summary>The names a request may give as "path": the two that answers report, and "durable" for the fan-out.</summary>
    public const string DurablePath = "durable";

    public static async Task<(ParsedQuery? Query, RequestError? Error)> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) return await ParseJsonAsync(request, ct);
        if (RequestBody.Limit(request) is { } tooLarge) return (null, tooLarge);
        try { return await ParseMultipartAsync(request, ct); }
        catch (BadHttpRequestException e) { return (null, RequestBody.Refusal(e)); }
    }

    /// <summary>Whether a path name selects the in-process search; null when it names no path.</summary>
    public static bool? IsInProcess(string? path) => path switch
    {
        ArchiveSearch.InProcessPath => true,
        DurablePath or ArchiveSearch.FanOutPath => false,
        _ => null,
    };

    private static async Task<(ParsedQuery?, RequestError?)> ParseJsonAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<QueryRequestBody>(request, ct);
        if (body is null) return (null, error);
        if (string.IsNullOrWhiteSpace(body.PatchId))
            return (null, RequestError.BadRequest("patchId is required (or upload a patch as multipart/form-data)"));
        return WithRefinements(Validate(body.PatchId, null, body.K, body.Target, body.Path), QueryRefinementsParser.Parse(
            body.Bbox, body.From, body.To, body.Labels, body.Relevant, body.Irrelevant, body.Details ?? false));
    }

    private static async Task<(ParsedQuery?, RequestError?)> ParseMultipartAsync(HttpRequest request, CancellationToken ct)
    {
        IFormCollection form;
        try { form = await request.ReadFormAsync(ct); }
        catch (InvalidDataException) { return (null, RequestError.BadRequest("malformed multipart/form-data body")); }
        catch (IOException e) when (e is not BadHttpRequestException && !ct.IsCancellationRequested) { return (null, RequestError.BadRequest("multipart/form-data body ended early")); }
        var file = form.Files.GetFile("patch") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null) return (null, RequestError.BadRequest("multipart query needs a file field 'patch' (a patch .zip or EuroSAT .tif)"));
        Patch patch;
        try
        {
            await using var content = file.OpenReadStream();
            patch = PatchBlobReader.ReadUpload(file.FileName, content);
        }
        catch (PatchFormatException e) { return (null, RequestError.BadRequest(e.Message)); }
        int? k = null;
        if (form.ContainsKey("k"))
        {
            if (!int.TryParse(form["k"], out var parsedK)) return (null, RequestError.BadRequest("'k' must be a whole number"));
            k = parsedK;
        }
        return WithRefinements(Validate(null, patch, k, form["target"].FirstOrDefault(), form["path"].FirstOrDefault()),
            ParseFormRefinements(form));
    }

    // Form fields: bbox as "west,south,east,north"; labels, relevant and irrelevant repeated (a label may hold a comma).
    private static (QueryRefinements?, string?) ParseFormRefinements(IFormCollection form)
    {
        List<double>? bbox = null;
        if (form["bbox"].FirstOrDefault() is { Length: > 0 } text)
        {
            bbox = [];
            foreach (var part in text.Split(','))
            {
                if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
                    return (null, "bbox must be \"west,south,east,north\" in degrees");
                bbox.Add(value);
            }
        }
        var details = form["details"].FirstOrDefault() is "true" or "1";
        return QueryRefinementsParser.Parse(bbox, form["from"].FirstOrDefault(), form["to"].FirstOrDefault(), Values(form, "labels"),
            Values(form, "relevant"), Values(form, "irrelevant"), details);
    }

    private static List<string> Values(IFormCollection form, string name) => [.. form[name].Where(v => v is not null).Select(v => v!)];

    private static (ParsedQuery?, RequestError?) WithRefinements((ParsedQuery? Query, RequestError? Error) parsed, (QueryRefinements? Refinements, string? Error) refinements) =>
        parsed.Query is null ? parsed
        : refinements.Refinements is null ? (null, RequestError.BadRequest(refinements.Error!))
        : (parsed.Query with { Refinements = refinements.Refinements }, null);

    private static (ParsedQuery?, RequestError?) Validate(string? patchId, Patch? upload, int? k, string? target, string? path)
    {
        int kValue = k ?? 20;
        if (kValue < 1 || kValue > MaxK) return (null, RequestError.BadRequest($"k must be in 1..{MaxK}"));
        QueryTarget? parsedTarget = null;
        if (target is not null)
        {
            if (ParseTarget(target) is not { } named) return (null, RequestError.BadRequest("target must be \"S1\", \"S2\" or \"any\""));
            parsedTarget = named;
        }
        if (path is not null && IsInProcess(path) is null)
            return (null, RequestError.BadRequest($"path must be \"{ArchiveSearch.FanOutPath}\" (or \"{DurablePath}\") or \"{ArchiveSearch.InProcessPath}\""));
        return (new ParsedQuery(patchId, upload, kValue, parsedTarget, path), null);
    }

    // Only the documented names: Enum.TryParse would also take "1", "2" and flag lists like "S1,S2".
    private static QueryTarget? ParseTarget(string target) => target.ToUpperInvariant() switch
    {
        "ANY" => QueryTarget.Any,
        "S1" => QueryTarget.S1,
        "S2" => QueryTarget.S2,
        _ => null,
    };
}
