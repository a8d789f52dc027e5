using System.Text.Json;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using Microsoft.AspNetCore.Http;

namespace BitEarth.Functions.Query;

/// <summary>A validated query: by archive id or by uploaded patch, k in 1..1000, a target (null: none given) and a path.</summary>
public sealed record ParsedQuery(string? PatchId, Patch? Upload, int K, QueryTarget? Target, string? Path);

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
        return Validate(body.PatchId, null, body.K, body.Target, body.Path);
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
        return Validate(null, patch, k, form["target"].FirstOrDefault(), form["path"].FirstOrDefault());
    }

    private static (ParsedQuery?, string?) Validate(string? patchId, Patch? upload, int? k, string? target, string? path)
    {
        int kValue = k ?? 20;
        if (kValue < 1 || kValue > MaxK) return (null, $"k must be in 1..{MaxK}");
        QueryTarget? parsedTarget = null;
        if (target is not null)
        {
            if (!Enum.TryParse(target, ignoreCase: true, out QueryTarget named) || !Enum.IsDefined(named))
                return (null, "target must be \"S1\", \"S2\" or \"any\"");
            parsedTarget = named;
        }
        if (path is not null && path != "durable" && path != "in-process")
            return (null, "path must be \"durable\" or \"in-process\"");
        return (new ParsedQuery(patchId, upload, kValue, parsedTarget, path), null);
    }
}
