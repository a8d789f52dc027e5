using BitEarth.Core;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Reindex;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using BitEarth.Onnx;
using BitEarth.Onnx.Pretrained;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Reindex;

/// <summary>
/// POST api/reindex starts a re-index (202 + status URL), or answers 409 with the status URL of the one still running;
/// GET api/reindex/{instanceId} reports progress. Starting one re-hashes the whole archive and switches the active
/// encoder, so it takes the admin (master) key, and under Easy Auth also the <see cref="EasyAuthRoles.ReindexRole"/> app
/// role; reading progress takes a function key.
/// </summary>
public sealed class ReindexFunction(ArchiveReindexer reindexer, ArchiveOptions options, IArchiveResources resources,
    EasyAuthRoles roles, Refusals refusals)
{
    /// <summary>The re-index method that fits pretrained ResNet-18 features + ITQ on the archive (the learned default).</summary>
    public const string FittedMethod = "resnet-itq";

    [Function(nameof(Reindex))]
    public async Task<IActionResult> Reindex(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/reindex")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        if (roles.Require(request, EasyAuthRoles.ReindexRole) is { } denied) return refusals.Refuse(nameof(Reindex), denied);
        var (body, error) = await RequestBody.ReadJsonAsync<ReindexRequestBody>(request, ct);
        if (body is null) return refusals.Refuse(nameof(Reindex), error!);
        if (Validate(body) is { } invalid) return refusals.Refuse(nameof(Reindex), RequestError.BadRequest(invalid));
        if (await resources.FindMissingAsync(ct) is { } missing)
            return refusals.Refuse(nameof(Reindex), new RequestError(StatusCodes.Status503ServiceUnavailable, missing));

        int bits = body.Bits ?? options.DefaultBits;
        int batch = body.BatchSize ?? options.ReindexBatchSize;
        int page = body.PageSize ?? ReindexArchive.DefaultPageSize;

        // One re-index at a time: a second would race the first to activation, and the last to finish would win.
        // The gate makes check and start one step within this instance; across instances the check alone stands.
        await StartGate.WaitAsync(ct);
        try
        {
            if (await RunningReindexAsync(durable, ct) is { } running)
            {
                var runningUrl = StatusUrl(request, running);
                return new ObjectResult(new { error = $"re-index {running} is still running; wait for it to finish", instanceId = running, statusUrl = runningUrl })
                {
                    StatusCode = StatusCodes.Status409Conflict,
                };
            }
            if (body.Method == FittedMethod)
            {
                var fit = new FitPretrainedEncoderInput(bits, body.Seed ?? options.DefaultSeed, ArchiveSample.DefaultPerModality);
                var fitId = await durable.ScheduleNewOrchestrationInstanceAsync(nameof(FitAndReindex), new FitAndReindexInput(fit, batch, page), ct);
                var fitStatusUrl = StatusUrl(request, fitId);
                return new AcceptedResult(fitStatusUrl, new { instanceId = fitId, method = FittedMethod, statusUrl = fitStatusUrl });
            }

            string encoder;
            try { encoder = await reindexer.PrepareEncoderAsync(body.Encoder, bits, body.Seed ?? options.DefaultSeed, ct); }
            catch (EncoderNotFoundException e) { return refusals.Refuse(nameof(Reindex), new RequestError(StatusCodes.Status404NotFound, e.Message)); }
            catch (EncoderVersionException e) { return refusals.Refuse(nameof(Reindex), RequestError.BadRequest(e.Message)); }
            catch (EncoderLoadException e) { return refusals.Refuse(nameof(Reindex), RequestError.BadRequest(e.Message)); }
            catch (Exception e) when (e is HasherFormatException or EncoderPackageException)
            {
                return refusals.Refuse(nameof(Reindex), RequestError.BadRequest($"encoder '{body.Encoder}' cannot be loaded: {e.Message}"));
            }

            var id = await durable.ScheduleNewOrchestrationInstanceAsync(nameof(ReindexArchive),
                new ReindexState(encoder, batch, page, null, 0, 0, 0, false), ct);
            var statusUrl = StatusUrl(request, id);
            return new AcceptedResult(statusUrl, new { instanceId = id, encoder, statusUrl });
        }
        finally
        {
            StartGate.Release();
        }
    }

    private static readonly SemaphoreSlim StartGate = new(1, 1);

    private static string StatusUrl(HttpRequest request, string instanceId) => $"{request.Scheme}://{request.Host}/api/reindex/{instanceId}";

    private static async Task<string?> RunningReindexAsync(DurableTaskClient durable, CancellationToken ct)
    {
        var query = new OrchestrationQuery { Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running] };
        await foreach (var instance in durable.GetAllInstancesAsync(query).WithCancellation(ct))
            if (instance.Name is nameof(ReindexArchive) or nameof(FitAndReindex)) return instance.InstanceId;
        return null;
    }

    [Function(nameof(ReindexStatus))]
    public async Task<IActionResult> ReindexStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/reindex/{instanceId}")] HttpRequest request,
        string instanceId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        // Ids this app creates are letters, digits and hyphens; anything else (a table key rule breaker) cannot be one.
        var state = instanceId.Length <= 100 && instanceId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct)
            : null;
        if (state is null || state.Name is not (nameof(ReindexArchive) or nameof(FitAndReindex)))
            return refusals.Refuse(nameof(ReindexStatus), new RequestError(StatusCodes.Status404NotFound, $"No re-index with id '{instanceId}'."));
        var progress = state.SerializedCustomStatus is null ? null : state.ReadCustomStatusAs<ReindexState>();
        return new OkObjectResult(new { instanceId, status = state.RuntimeStatus.ToString(), progress });
    }

    private string? Validate(ReindexRequestBody body)
    {
        if (body.Encoder is { } version)
        {
            try { BlobNames.Validate(Containers.Encoders, EncoderCatalog.BlobName(version)); }
            catch (BlobNameException e) { return $"encoder must name a version in the encoders container: {e.Reason}"; }
        }
        else if (!HammingCode.IsValidLength(body.Bits ?? options.DefaultBits))
            return $"bits must be a multiple of 8 in {HammingCode.MinBits}..{HammingCode.MaxBits}";
        if (body.BatchSize is < 1 or > 1000) return "batchSize must be in 1..1000";
        if (body.PageSize is < 1 or > ReindexArchive.MaxPageSize) return $"pageSize must be in 1..{ReindexArchive.MaxPageSize}";
        if (body.Method is not (null or "lsh" or FittedMethod)) return $"method must be \"lsh\" or \"{FittedMethod}\"";
        if (body.Method == FittedMethod)
        {
            if (body.Encoder is not null) return $"method \"{FittedMethod}\" fits a new encoder: leave out \"encoder\"";
            if ((body.Bits ?? options.DefaultBits) > ResNet18Features.Length) return $"method \"{FittedMethod}\" gives at most {ResNet18Features.Length} bits";
        }
        return null;
    }
}
