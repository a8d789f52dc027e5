using System.Reflection;
using System.Text.Json;
using BitEarth.Core.Patches;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// Reading request bodies with one size limit (the patch cap: ingest and uploads share it) whether or not the body
/// declares its length, and JSON bodies into records with reasons that name the field, not the .NET type.
/// </summary>
public static class RequestBody
{
    public const long MaxBytes = PatchBlobReader.MaxBytes;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Refuses a body that declares more than the limit, and makes the server stop reading a chunked one at the limit
    /// (a read past it then throws <see cref="BadHttpRequestException"/> with 413, see <see cref="Refusal"/>).
    /// </summary>
    public static RequestError? Limit(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes) return RequestError.TooLarge(MaxBytes);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBytes;
        return null;
    }

    /// <summary>The refusal for a body the server stopped reading: over a size limit (413) or malformed framing (400).</summary>
    public static RequestError Refusal(BadHttpRequestException e) =>
        e.StatusCode == StatusCodes.Status413PayloadTooLarge ? RequestError.TooLarge(MaxBytes) : RequestError.BadRequest("malformed request body");

    /// <summary>A JSON object body as <typeparamref name="T"/>, or why it is not one.</summary>
    public static async Task<(T? Body, RequestError? Error)> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (Limit(request) is { } tooLarge) return (null, tooLarge);
        byte[]? bytes;
        try { bytes = await PatchBlobReader.ReadBlobAsync(request.Body, ct); }
        catch (BadHttpRequestException e) { return (null, Refusal(e)); }
        if (bytes is null) return (null, RequestError.TooLarge(MaxBytes));
        if (bytes.Length == 0) return (null, RequestError.BadRequest("body is empty; expected a JSON object"));

        JsonDocument document;
        try { document = JsonDocument.Parse(bytes); }
        catch (JsonException e)
        {
            return (null, RequestError.BadRequest($"body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) return (null, RequestError.BadRequest("body must be a JSON object"));
            try { return (document.RootElement.Deserialize<T>(Json) ?? throw new JsonException(), null); }
            catch (JsonException e) { return (null, RequestError.BadRequest(WrongType<T>(e.Path))); }
        }
    }

    // "$.k" -> "'k' must be a whole number"; the expected kind comes from the record's property.
    private static string WrongType<T>(string? path)
    {
        var field = path is { Length: > 2 } && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        var property = field is null ? null
            : typeof(T).GetProperty(field, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null) return "body does not have the expected shape";
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var expected = type == typeof(string) ? "a string"
            : type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(bool) ? "true or false"
            : "of another type";
        return $"'{field}' must be {expected}";
    }
}
