using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Explorer;

/// <summary>GET api/openapi.json: the OpenAPI 3.0 description of the HTTP API (embedded; a test checks it against the routes).</summary>
public static class OpenApi
{
    public const string AssetName = "openapi.json";

    [Function(nameof(OpenApi))]
    public static IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var document = ExplorerAssets.Find(AssetName)!;
        request.HttpContext.Response.Headers.ETag = document.ETag;
        return new FileContentResult(document.Content, document.ContentType);
    }
}
