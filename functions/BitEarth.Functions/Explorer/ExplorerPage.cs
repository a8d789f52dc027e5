using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;

namespace BitEarth.Functions.Explorer;

/// <summary>
/// GET / and its assets: the BitEarth explorer page (search by example on a map), served from the files embedded in
/// this assembly. The route catches every path the API's routes do not, so an unknown api/ path still answers with a
/// JSON 404. The page calls the API with the <c>code</c> key of its own URL, if it has one.
/// </summary>
public static class ExplorerPage
{
    public const string CacheControl = "public, max-age=300";

    [Function("Explorer")]
    public static IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{*asset}")] HttpRequest request,
        string? asset)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (asset is not null && (asset == "api" || asset.StartsWith("api/", StringComparison.Ordinal)))
            return ErrorResults.NotFound($"no API route GET /{asset}");
        if (ExplorerAssets.Find(asset) is not { } file)
            return ErrorResults.NotFound($"no explorer file '/{asset}'");
        request.HttpContext.Response.Headers.CacheControl = CacheControl;
        request.HttpContext.Response.Headers.ETag = file.ETag;
        if (request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } known
            && known.Any(e => e.Compare(EntityTagHeaderValue.Parse(file.ETag), useStrongComparison: false)))
            return new StatusCodeResult(StatusCodes.Status304NotModified);
        return new FileContentResult(file.Content, file.ContentType);
    }
}
