using System.Text.Json;
using BitEarth.Core;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Reindex;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace BitEarth.Functions.Reindex;

/// <summary>POST api/reindex starts a re-index (202 + status URL); GET api/reindex/{instanceId} reports progress.</summary>
public sealed class ReindexFunction(ArchiveReindexer reindexer, ArchiveOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Function(nameof(Reindex))]
    public async Task<IActionResult> Reindex(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "reindex")] HttpRequest request,
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

        string encoder;
        try { encoder = await reindexer.PrepareEncoderAsync(body.Encoder, bits, body.Seed ?? options.DefaultSeed, ct); }
        catch (EncoderNotFoundException e) { return ErrorResults.NotFound(e.Message); }
        catch (EncoderVersionException e) { return ErrorResults.BadRequest(e.Message); }
        catch (EncoderLoadException e) { return ErrorResults.BadRequest(e.Message); }

        var id = await durable.ScheduleNewOrchestrationInstanceAsync(nameof(ReindexArchive),
            new ReindexState(encoder, batch, page, null, 0, 0, 0, false), ct);
        var statusUrl = $"{request.Scheme}://{request.Host}/api/reindex/{id}";
        return new AcceptedResult(statusUrl, new { instanceId = id, encoder, statusUrl });
    }

    [Function(nameof(ReindexStatus))]
    public async Task<IActionResult> ReindexStatus(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "reindex/{instanceId}")] HttpRequest request,
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
