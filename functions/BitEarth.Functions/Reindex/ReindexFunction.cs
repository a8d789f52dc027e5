using System.Text.Json;
using BitEarth.Core;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Reindex;
using BitEarth.Functions.Hosting;
using BitEarth.Onnx.Pretrained;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Reindex;

/// <summary>
/// POST api/reindex starts a re-index (202 + status URL), or answers 409 with the status URL of the one still running;
/// GET api/reindex/{instanceId} reports progress.
/// </summary>
public sealed class ReindexFunction(ArchiveReindexer reindexer, ArchiveOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The re-index method that fits pretrained ResNet-18 features + ITQ on the archive (the learned default).</summary>
    public const string FittedMethod = "resnet-itq";

    [Function(nameof(Reindex))]
    public async Task<IActionResult> Reindex(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/reindex")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        ReindexRequestBody? body;
        try { body = await JsonSerializer.DeserializeAsync<ReindexRequestBody>(request.Body, Json, ct); }
        catch (JsonException e) { return ErrorResults.BadRequest($"body is not valid JSON: {e.Message}"); }
        if (body is null) return ErrorResults.BadRequest("body must be a JSON object");
        int bits = body.Bits ?? options.DefaultBits;
        if (body.Encoder is null && !HammingCode.IsValidLength(bits))
            return ErrorResults.BadRequest($"bits must be a multiple of 8 in {HammingCode.MinBits}..{HammingCode.MaxBits}");
        int batch = body.BatchSize ?? options.ReindexBatchSize;
        if (batch < 1 || batch > 1000) return ErrorResults.BadRequest("batchSize must be in 1..1000");
        int page = body.PageSize ?? ReindexArchive.DefaultPageSize;
        if (page < 1 || page > ReindexArchive.MaxPageSize) return ErrorResults.BadRequest($"pageSize must be in 1..{ReindexArchive.MaxPageSize}");

        if (body.Method is not (null or "lsh" or FittedMethod))
            return ErrorResults.BadRequest($"method must be \"lsh\" or \"{FittedMethod}\"");
        if (body.Method == FittedMethod)
        {
            if (body.Encoder is not null) return ErrorResults.BadRequest($"method \"{FittedMethod}\" fits a new encoder: leave out \"encoder\"");
            if (bits > ResNet18Features.Length) return ErrorResults.BadRequest($"method \"{FittedMethod}\" gives at most {ResNet18Features.Length} bits");
        }

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
            catch (EncoderNotFoundException e) { return ErrorResults.NotFound(e.Message); }

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
        var state = await durable.GetInstanceAsync(instanceId, getInputsAndOutputs: true, ct);
        if (state is null) return ErrorResults.NotFound($"No re-index with id '{instanceId}'.");
        var progress = state.SerializedCustomStatus is null ? null : state.ReadCustomStatusAs<ReindexState>();
        return new OkObjectResult(new { instanceId, status = state.RuntimeStatus.ToString(), progress });
    }
}
