using BitEarth.Core.Change;
using BitEarth.Core.Patches;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;

namespace BitEarth.Functions.Query;

/// <summary>A validated change query: two archived ids or two uploads, k in 1..1000, and the metric.</summary>
public sealed record ParsedChangeQuery(string? BeforeId, string? AfterId, Patch? BeforeUpload, Patch? AfterUpload, int K, ChangeMetric Metric);

/// <summary>Turns POST api/query/change (JSON ids, or multipart with files 'before' and 'after') into a <see cref="ParsedChangeQuery"/> or a reason it is bad.</summary>
public static class QueryChangeParser
{
    public static async Task<(ParsedChangeQuery? Query, RequestError? Error)> ParseAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType) return await ParseJsonAsync(request, ct);
        if (RequestBody.Limit(request) is { } tooLarge) return (null, tooLarge);
        try { return await ParseMultipartAsync(request, ct); }
        catch (BadHttpRequestException e) { return (null, RequestBody.Refusal(e)); }
    }

    private static async Task<(ParsedChangeQuery?, RequestError?)> ParseJsonAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadJsonAsync<QueryChangeRequestBody>(request, ct);
        if (body is null) return (null, error);
        if (string.IsNullOrWhiteSpace(body.Before) || string.IsNullOrWhiteSpace(body.After))
            return (null, RequestError.BadRequest("before and after are required: the ids of two patches of one place, earlier first (or upload both as multipart/form-data)"));
        return Validate(body.Before, body.After, null, null, body.K, body.Metric);
    }

    private static async Task<(ParsedChangeQuery?, RequestError?)> ParseMultipartAsync(HttpRequest request, CancellationToken ct)
    {
        IFormCollection form;
        try { form = await request.ReadFormAsync(ct); }
        catch (InvalidDataException) { return (null, RequestError.BadRequest("malformed multipart/form-data body")); }
        catch (IOException e) when (e is not BadHttpRequestException && !ct.IsCancellationRequested) { return (null, RequestError.BadRequest("multipart/form-data body ended early")); }
        var files = new Patch[2];
        string[] fields = ["before", "after"];
        for (int i = 0; i < 2; i++)
        {
            if (form.Files.GetFile(fields[i]) is not { } file)
                return (null, RequestError.BadRequest("multipart change query needs file fields 'before' and 'after' (patch .zip or EuroSAT .tif)"));
            try
            {
                await using var content = file.OpenReadStream();
                files[i] = PatchBlobReader.ReadUpload(file.FileName, content);
            }
            catch (PatchFormatException e) { return (null, RequestError.BadRequest($"{fields[i]}: {e.Message}")); }
        }
        int? k = null;
        if (form.ContainsKey("k"))
        {
            if (!int.TryParse(form["k"], out var parsedK)) return (null, RequestError.BadRequest("'k' must be a whole number"));
            k = parsedK;
        }
        return Validate(null, null, files[0], files[1], k, form["metric"].FirstOrDefault());
    }

    private static (ParsedChangeQuery?, RequestError?) Validate(string? beforeId, string? afterId, Patch? before, Patch? after, int? k, string? metric)
    {
        int kValue = k ?? 10;
        if (kValue < 1 || kValue > QueryParser.MaxK) return (null, RequestError.BadRequest($"k must be in 1..{QueryParser.MaxK}"));
        ChangeMetric parsed = ChangeSearch.DefaultMetric;
        if (metric is not null)
        {
            if (ParseMetric(metric) is not { } named) return (null, RequestError.BadRequest("metric must be \"xor\", \"sum\" or \"after\""));
            parsed = named;
        }
        return (new ParsedChangeQuery(beforeId, afterId, before, after, kValue, parsed), null);
    }

    private static ChangeMetric? ParseMetric(string metric) => metric.ToUpperInvariant() switch
    {
        "XOR" => ChangeMetric.Xor,
        "SUM" => ChangeMetric.Sum,
        "AFTER" => ChangeMetric.AfterOnly,
        _ => null,
    };

    /// <summary>The name a response gives a metric, as a request spells it.</summary>
    public static string NameOf(ChangeMetric metric) => metric switch
    {
        ChangeMetric.Xor => "xor",
        ChangeMetric.Sum => "sum",
        _ => "after",
    };
}
