using System.Diagnostics;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;

namespace BitEarth.Functions.Query;

/// <summary>POST api/query: validate, reduce the example to a code, search (durable fan-out or in-process), shape.</summary>
public sealed class QueryFunction(ArchiveSearch search, IConfiguration configuration)
{
    [Function(nameof(Query))]
    public async Task<IActionResult> Query(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "query")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (parsed, error) = await QueryParser.ParseAsync(request, ct);
        if (parsed is null) return ErrorResults.BadRequest(error!);

        PreparedQuery query;
        try
        {
            query = parsed.Upload is { } upload
                ? await search.PrepareAsync(upload, parsed.K, parsed.Target, ct)
                : await search.PrepareAsync(parsed.PatchId!, parsed.K, parsed.Target, ct);
        }
        catch (PatchNotFoundException e) { return ErrorResults.NotFound(e.Message); }
        catch (PatchFormatException e) { return ErrorResults.BadRequest(e.Message); }
        catch (QueryTargetException e) { return ErrorResults.BadRequest(e.Message); }

        var path = parsed.Path ?? configuration["BitEarth:QueryPath"] ?? "durable";
        QueryAnswer answer;
        if (path == "in-process")
        {
            answer = await search.SearchInProcessAsync(query, ct);
        }
        else
        {
            var id = await durable.ScheduleNewOrchestrationInstanceAsync(nameof(QueryFanOut),
                new QueryFanOutInput(query, search.Plan(query)), ct);
            var state = await DurableWait.ForCompletionAsync(durable, id, ct);
            if (state.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
                return ErrorResults.Status(StatusCodes.Status500InternalServerError,
                    $"query orchestration {id} ended {state.RuntimeStatus}: {state.FailureDetails?.ErrorMessage}");
            answer = await search.AnswerAsync(query, state.ReadOutputAs<PartialTopK>()!, clock.Elapsed, ArchiveSearch.FanOutPath, ct);
        }
        return new OkObjectResult(QueryResponse.From(answer with { ElapsedMs = clock.Elapsed.TotalMilliseconds }));
    }
}
