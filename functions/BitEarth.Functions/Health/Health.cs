using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Health;

/// <summary>
/// GET api/health (anonymous): readiness only, 200 or 503. GET api/health/details (function key): the active encoder
/// and how many codes it has, or what keeps the archive from serving.
/// </summary>
public sealed class Health(ArchiveReadiness readiness, IArchiveResources resources, ICodeStore store, ResidentIndexCache indexes)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken ct) =>
        readiness.IsReady && await resources.FindMissingAsync(ct) is null
            ? new OkObjectResult(new { status = "ok" })
            : ErrorResults.Status(StatusCodes.Status503ServiceUnavailable, "not ready");

    [Function(nameof(HealthDetails))]
    public async Task<IActionResult> HealthDetails(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/health/details")] HttpRequest request,
        CancellationToken ct)
    {
        if (!readiness.IsReady) return ErrorResults.Status(StatusCodes.Status503ServiceUnavailable, "initial ingest is still running");
        if (await resources.FindMissingAsync(ct) is { } missing) return ErrorResults.Status(StatusCodes.Status503ServiceUnavailable, missing);
        var encoder = await store.GetActiveEncoderAsync(ct);
        int codes = encoder is null ? 0 : (await indexes.GetAsync(encoder, ct)).Count;
        return new OkObjectResult(new { status = "ok", encoder, codes });
    }
}
