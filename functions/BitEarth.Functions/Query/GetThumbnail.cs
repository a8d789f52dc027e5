using System.Globalization;
using System.Security.Cryptography;
using BitEarth.Core.Stores;
using BitEarth.Core.Thumbnails;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace BitEarth.Functions.Query;

/// <summary>
/// GET api/patches/{id}/thumbnail.png[?size=16..512]: the picture made at ingest (S2 true colour, S1 false colour),
/// at the patch's size or resampled so its longer side is <c>size</c>. The ETag is the bytes' hash, so a re-ingested
/// patch gets a new one; clients may keep a copy for an hour and revalidate with If-None-Match.
/// </summary>
public sealed class GetThumbnail(IBlobStore blobs)
{
    public const string CacheControl = "public, max-age=3600";

    [Function(nameof(GetThumbnail))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/patches/{id}/thumbnail.png")] HttpRequest request,
        string id,
        CancellationToken ct)
    {
        int? size = null;
        if (request.Query.TryGetValue("size", out var sizeText))
        {
            if (!int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                || parsed < ThumbnailStore.MinSize || parsed > ThumbnailStore.MaxSize)
                return ErrorResults.BadRequest($"size must be an integer in {ThumbnailStore.MinSize}..{ThumbnailStore.MaxSize}");
            size = parsed;
        }
        var png = await ThumbnailStore.ReadAsync(blobs, id, size, ct);
        if (png is null) return ErrorResults.NotFound($"Patch '{id}' has no thumbnail (it is not in the archive).");

        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(png).AsSpan(0, 12))}\"");
        request.HttpContext.Response.Headers.CacheControl = CacheControl;
        request.HttpContext.Response.Headers.ETag = etag.ToString();
        if (request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } known && known.Any(e => e.Compare(etag, useStrongComparison: false)))
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        return new FileContentResult(png, "image/png");
    }
}
