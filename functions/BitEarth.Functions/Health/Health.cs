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
/// GET api/health (anonymous): readiness only, 200 or 503. GET api/health/details (function key): the active encoder
/// (its code length, modalities and whether they share one code space), how many codes it has, the encoders a
/// re-index is building and the ONNX execution provider; 503 while starting, when the active encoder cannot be loaded,
/// or naming what keeps the archive from serving.
/// </summary>
public sealed class Health(ArchiveReadiness readiness, IArchiveResources resources, ICodeStore store, ResidentIndexCache indexes,
    EncoderCatalog encoders, OnnxSessionFactory onnx)
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
        var state = await store.GetEncoderStateAsync(ct);
        if (state.Active is not { } encoder)
            return new OkObjectResult(new { status = "ok", encoder = (string?)null, codes = 0, pending = state.Pending, onnxProvider = onnx.Provider });
        Core.Hashing.IPatchHasher hasher;
        try { hasher = await encoders.GetAsync(encoder, ct); }
        catch (EncoderLoadException e) { return ErrorResults.Status(StatusCodes.Status503ServiceUnavailable, e.Message); }
        // Under a cap the instance holds some shard groups only: loading the whole index to count it would break the cap,
        // so it reports the archive's size once every group has been measured, and what it holds.
        long? codes = indexes.Groups is { } groups ? groups.MeasuredCodes(encoder) : (await indexes.GetAsync(encoder, ct)).Count;
        return new OkObjectResult(new
        {
            status = "ok",
            encoder,
            codes,
            resident = indexes.Groups?.Counters,
            bits = hasher.Bits,
            modalities = hasher.Modalities.Order().Select(m => m.ToString()),
            sharedCodeSpace = hasher.SharesCodeSpace,
            pending = state.Pending,
            onnxProvider = onnx.Provider,
        });
    }
}
