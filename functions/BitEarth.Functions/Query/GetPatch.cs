using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Query;

/// <summary>GET api/patches/{id}: the stored metadata of one patch.</summary>
public sealed class GetPatch(ICodeStore store, IArchiveResources resources, Refusals refusals)
{
    [Function(nameof(GetPatch))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patches/{id}")] HttpRequest request,
        string id,
        CancellationToken ct)
    {
        if (await resources.FindMissingAsync(ct) is { } missing)
            return refusals.Refuse(nameof(GetPatch), new RequestError(StatusCodes.Status503ServiceUnavailable, missing));
        var patch = await store.GetPatchAsync(id, ct);
        if (patch is null) return refusals.Refuse(nameof(GetPatch), new RequestError(StatusCodes.Status404NotFound, $"Patch '{id}' is not in the archive."));
        return new OkObjectResult(new
        {
            patch.Id, Modality = patch.Modality.ToString(), patch.Labels, patch.Blob, patch.Width, patch.Height,
            patch.PairedId, patch.AcquiredAt,
        });
    }
}
