using System.Text.Json;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using Microsoft.AspNetCore.Http;

namespace BitEarth.Functions.Query;

/// <summary>A validated query: by archive id or by uploaded patch, k in 1..1000, a target and a path.</summary>
public sealed record ParsedQuery(string? PatchId, Patch? Upload, int K, QueryTarget Target, string? Path)
{
    /// <summary>Filters and relevance feedback (none unless the request gives them).</summary>
    public QueryRefinements Refinements { get; init; } = QueryRefinements.None;
}

/// <summary>Turns POST api/query (JSON or multipart upload) into a <see cref="ParsedQuery"/> or a reason it is bad.</summary>
public static class QueryParser
{
    public const int MaxK = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<(ParsedQuery? Query, string? Error)> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        // A body over the patch cap cannot carry a readable patch (ingest and uploads share the one limit).
        if (request.ContentLength > PatchBlobReader.MaxBytes) return (null, $"request body is larger than {PatchBlobReader.MaxBytes} bytes");
        return request.HasFormContentType ? await ParseMultipartAsync(request, ct) : await ParseJsonAsync(request, ct);
    }

    private static async Task<(ParsedQuery?, string?)> ParseJsonAsync(HttpRequest request, CancellationToken ct)
    {
        QueryRequestBody? body;
        try { body = await JsonSerializer.DeserializeAsync<QueryRequestBody>(request.Body, Json, ct); }
        catch (JsonException e) { return (null, $"body is not valid JSON: {e.Message}"); }
        if (body is null) return (null, "body must be a JSON object");
        if (string.IsNullOrWhiteSpace(body.PatchId)) return (null, "patchId is required (or upload a patch as multipart/form-data)");
        return WithRefinements(Validate(body.PatchId, null, body.K, body.Target, body.Path), QueryRefinementsParser.Parse(
            body.Bbox, body.From, body.To, body.Labels, body.Relevant, body.Irrelevant, body.Details ?? false));
    }

    private static async Task<(ParsedQuery?, string?)> ParseMultipartAsync(HttpRequest request, CancellationToken ct)
    {
        IFormCollection form;
        try { form = await request.ReadFormAsync(ct); }
        catch (Exception e) when (e is InvalidDataException or IOException) { return (null, $"malformed multipart body: {e.Message}"); }
        var file = form.Files.GetFile("patch") ?? (form.Files.Count > 0 ? form.Files[0] : null);
        if (file is null) return (null, "multipart query needs a file field 'patch' (a patch .zip or EuroSAT .tif)");
        Patch patch;
        try
        {
            await using var content = file.OpenReadStream();
            patch = PatchBlobReader.Read(file.FileName, content);
        }
        catch (PatchFormatException e) { return (null, e.Message); }
        int? k = int.TryParse(form["k"], out var parsedK) ? parsedK : form.ContainsKey("k") ? -1 : null;
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

    private static (ParsedQuery?, string?) WithRefinements((ParsedQuery? Query, string? Error) parsed, (QueryRefinements? Refinements, string? Error) refinements) =>
        parsed.Query is null ? parsed
        : refinements.Refinements is null ? (null, refinements.Error)
        : (parsed.Query with { Refinements = refinements.Refinements }, null);

    private static (ParsedQuery?, string?) Validate(string? patchId, Patch? upload, int? k, string? target, string? path)
    {
        int kValue = k ?? 20;
        if (kValue < 1 || kValue > MaxK) return (null, $"k must be in 1..{MaxK}");
        QueryTarget parsedTarget;
        if (target is null) parsedTarget = QueryTarget.Any;
        else if (!Enum.TryParse(target, ignoreCase: true, out parsedTarget) || !Enum.IsDefined(parsedTarget))
            return (null, "target must be \"S1\", \"S2\" or \"any\"");
        if (path is not null && path != "durable" && path != "in-process")
            return (null, "path must be \"durable\" or \"in-process\"");
        return (new ParsedQuery(patchId, upload, kValue, parsedTarget, path), null);
    }
}
