using BitEarth.Core.Encoders;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using BitEarth.Onnx;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Health;

/// <summary>
/// GET api/health: 200 with the active encoder (its code length, modalities and whether they share one code space),
/// how many codes it has, the encoders a re-index is building and the ONNX execution provider; 503 while starting or
/// when the active encoder cannot be loaded.
/// </summary>
public sealed class Health(ArchiveReadiness readiness, ICodeStore store, ResidentIndexCache indexes, EncoderCatalog encoders,
    OnnxSessionFactory onnx)
{
    [Function(nameof(Health))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request,
        CancellationToken ct)
    {
        if (!readiness.IsReady) return ErrorResults.Status(StatusCodes.Status503ServiceUnavailable, "initial ingest is still running");
        var state = await store.GetEncoderStateAsync(ct);
        if (state.Active is not { } encoder)
            return new OkObjectResult(new { status = "ok", encoder = (string?)null, codes = 0, pending = state.Pending, onnxProvider = onnx.Provider });
        Core.Hashing.IPatchHasher hasher;
        try { hasher = await encoders.GetAsync(encoder, ct); }
        catch (EncoderLoadException e) { return ErrorResults.Status(StatusCodes.Status503ServiceUnavailable, e.Message); }
        int codes = (await indexes.GetAsync(encoder, ct)).Count;
        return new OkObjectResult(new
        {
            status = "ok",
            encoder,
            codes,
            bits = hasher.Bits,
            modalities = hasher.Modalities.Order().Select(m => m.ToString()),
            sharedCodeSpace = hasher.SharesCodeSpace,
            pending = state.Pending,
            onnxProvider = onnx.Provider,
        });
    }
}
