using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Health;

/// <summary>GET api/health: 200 with the active encoder and how many codes it has; 503 while starting.</summary>
public sealed class Health(ArchiveReadiness readiness, ICodeStore store, ResidentIndexCache indexes)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken ct)
    {
        if (!readiness.IsReady) return ErrorResults.Status(StatusCodes.Status503ServiceUnavailable, "initial ingest is still running");
        var encoder = await store.GetActiveEncoderAsync(ct);
        int codes = encoder is null ? 0 : (await indexes.GetAsync(encoder, ct)).Count;
        return new OkObjectResult(new { status = "ok", encoder, codes });
    }
}
