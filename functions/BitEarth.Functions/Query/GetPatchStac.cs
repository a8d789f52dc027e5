using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Query;

/// <summary>GET api/patches/{id}/stac: the patch as a STAC Item (application/geo+json).</summary>
public sealed class GetPatchStac(ICodeStore store)
{
    [Function(nameof(GetPatchStac))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/patches/{id}/stac")] HttpRequest request,
        string id,
        CancellationToken ct)
    {
        var patch = await store.GetPatchAsync(id, ct);
        if (patch is null) return ErrorResults.NotFound($"Patch '{id}' is not in the archive.");
        return new JsonResult(StacItem.For(patch, $"{request.Scheme}://{request.Host}")) { ContentType = "application/geo+json" };
    }
}
