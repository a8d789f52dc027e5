using System.Diagnostics;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Residency;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;

namespace BitEarth.Functions.Query;

/// <summary>POST api/query: validate, reduce the example to a code, search (durable fan-out or in-process), shape.</summary>
public sealed class QueryFunction(ArchiveSearch search, IConfiguration configuration, QueryRefinement refinement, FilteredSearch filtered,
    IPatchMetadata metadata, IArchiveResources resources, Refusals refusals, ArchiveMetrics metrics, ResidentIndexCache indexes, QueryFanOutCoalescer fanOuts)
{
    [Function(nameof(Query))]
    public async Task<IActionResult> Query(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/query")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var (parsed, error) = await QueryParser.ParseAsync(request, ct);
        if (parsed is null) return refusals.Refuse(nameof(Query), error!);
        if (await resources.FindMissingAsync(ct) is { } missing)
            return refusals.Refuse(nameof(Query), new RequestError(StatusCodes.Status503ServiceUnavailable, missing));

        PreparedQuery query;
        try
        {
            query = parsed.Upload is { } upload
                ? await search.PrepareAsync(upload, parsed.K, parsed.Target, ct)
                : await search.PrepareAsync(parsed.PatchId!, parsed.K, parsed.Target, ct);
            query = await refinement.RefineAsync(query, parsed.Refinements.Relevant, parsed.Refinements.Irrelevant, ct);
        }
        catch (PatchNotFoundException e) { return refusals.Refuse(nameof(Query), new RequestError(StatusCodes.Status404NotFound, e.Message)); }
        catch (PatchFormatException e) { return refusals.Refuse(nameof(Query), RequestError.BadRequest(e.Message)); }
        catch (FeedbackPatchException e) { return refusals.Refuse(nameof(Query), RequestError.BadRequest(e.Message)); }
        catch (QueryTargetException e) { return refusals.Refuse(nameof(Query), RequestError.BadRequest(e.Message)); }

        // In-process by default while one instance holds the whole archive (no BitEarth:MaxResidentCodes, or an archive
        // measured to fit it): a fan-out then only adds an orchestration and its activities per query (measured:
        // bench/BitEarth.ServiceBench). Under a cap the archive is beyond, the durable fan-out spreads the shard groups
        // over the instances on the task hub.
        var inProcess = QueryParser.IsInProcess(parsed.Path ?? configuration["BitEarth:QueryPath"]) ?? search.PrefersInProcess(query.Encoder);
        FilteredAnswer result;
        try
        {
            result = await filtered.SearchAsync(query, parsed.Refinements.Filter, (q, token) => SearchAsync(q, inProcess, durable, clock, token), ct);
        }
        catch (QueryOrchestrationException e) { return refusals.Fail(nameof(Query), e.InstanceId, e.Message); }
        var answer = result.Answer with { ElapsedMs = clock.Elapsed.TotalMilliseconds };
        metrics.QueryAnswered(answer);
        var details = parsed.Refinements.Details ? await metadata.GetManyAsync([.. answer.Results.Select(r => r.PatchId)], ct) : null;
        return new OkObjectResult(QueryResponse.From(answer, details, result.Searches));
    }

    /// <summary>One exact unfiltered search of <paramref name="query"/> on the chosen path.</summary>
    private async Task<QueryAnswer> SearchAsync(PreparedQuery query, bool inProcess, DurableTaskClient durable, Stopwatch clock, CancellationToken ct)
    {
        if (inProcess) return await search.SearchInProcessAsync(query, ct);
        var partial = await fanOuts.SearchAsync(durable, new QueryFanOutInput(query, ShardPlan.Searches(search.Plan(query), capped: indexes.Groups is not null)), ct);
        return await search.AnswerAsync(query, partial, clock.Elapsed, ArchiveSearch.FanOutPath, ct);
    }
}
