using BitEarth.Core.Encoders;
using BitEarth.Onnx;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Encoders;

/// <summary>
/// GET api/encoders: every encoder in the encoders container (hasher files and trainer packages) with its code length,
/// modalities, whether they share one code space (cross-modal queries need it) and whether it is active or pending;
/// one that does not load is listed with the reason.
/// </summary>
public sealed class ListEncoders(EncoderCatalog encoders, OnnxSessionFactory onnx)
{
    [Function(nameof(ListEncoders))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/encoders")] HttpRequest request,
        CancellationToken ct)
    {
        var listed = await encoders.ListAsync(ct);
        return new OkObjectResult(new
        {
            onnxProvider = onnx.Provider,
            encoders = listed.Select(e => new
            {
                version = e.Version,
                blob = e.Blob,
                bits = e.Bits,
                modalities = e.Modalities?.Select(m => m.ToString()),
                sharedCodeSpace = e.SharedCodeSpace,
                active = e.Active,
                pending = e.Pending,
                error = e.Error,
            }),
        });
    }
}
