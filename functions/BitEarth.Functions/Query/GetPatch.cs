using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Query;

/// <summary>
/// GET api/patches/{id}: the stored metadata of one patch; a BigEarthNet patch's 43-class labels also folded into the
/// 19-class nomenclature (labels19), which recent work reports on.
/// </summary>
public sealed class GetPatch(ICodeStore store)
{
    [Function(nameof(GetPatch))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "patches/{id}")] HttpRequest request,
        string id,
        CancellationToken ct)
    {
        var patch = await store.GetPatchAsync(id, ct);
        if (patch is null) return ErrorResults.NotFound($"Patch '{id}' is not in the archive.");
        return new OkObjectResult(new
        {
            patch.Id, Modality = patch.Modality.ToString(), patch.Labels,
            Labels19 = patch.Labels.Count > 0 && patch.Labels.All(LandCoverClasses.IsName43) ? LandCoverClasses.Map43To19(patch.Labels) : null,
            patch.Blob, patch.Width, patch.Height,
            patch.PairedId, patch.AcquiredAt,
        });
    }
}
