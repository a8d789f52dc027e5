using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Query;

/// <summary>
/// GET api/patches/{id}: the stored metadata of one patch (footprint, date, tile, pair); a BigEarthNet patch's labels also in the
/// 19-class nomenclature (labels19), which recent work reports on: as its archive states them (v2's metadata.parquet) where stored,
/// else its 43-class labels folded.
/// </summary>
public sealed class GetPatch(ICodeStore store, IArchiveResources resources, Refusals refusals)
{
    [Function(nameof(GetPatch))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/patches/{id}")] HttpRequest request,
        string id,
        CancellationToken ct)
    {
        if (await resources.FindMissingAsync(ct) is { } missing)
            return refusals.Refuse(nameof(GetPatch), new RequestError(StatusCodes.Status503ServiceUnavailable, missing));
        var patch = await store.GetPatchAsync(id, ct);
        if (patch is null) return refusals.Refuse(nameof(GetPatch), new RequestError(StatusCodes.Status404NotFound, $"Patch '{id}' is not in the archive."));
        return new OkObjectResult(new
        {
            patch.Id, Modality = patch.Modality.ToString(), patch.Labels,
            Labels19 = patch.Labels19 ?? (patch.Labels.Count > 0 && patch.Labels.All(LandCoverClasses.IsName43) ? LandCoverClasses.Map43To19(patch.Labels) : null),
            patch.Blob, patch.Width, patch.Height,
            patch.PairedId, patch.AcquiredAt, patch.Tile,
            Footprint = patch.Footprint is { } f ? new { type = "Polygon", coordinates = f.ToPolygonCoordinates() } : null,
            Bbox = patch.Footprint?.Bounds.ToArray(),
            Thumbnail = $"/api/patches/{Uri.EscapeDataString(patch.Id)}/thumbnail.png",
            Stac = $"/api/patches/{Uri.EscapeDataString(patch.Id)}/stac",
        });
    }
}
