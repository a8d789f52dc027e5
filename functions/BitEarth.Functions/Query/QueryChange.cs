using BitEarth.Core.Change;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace BitEarth.Functions.Query;

/// <summary>POST api/query/change: a before/after pair of one place -> the archive's pairs of other places that changed alike.</summary>
public sealed class QueryChange(ChangeSearch changes, IArchiveResources resources, Refusals refusals)
{
    [Function(nameof(QueryChange))]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/query/change")] HttpRequest request,
        CancellationToken ct)
    {
        var (parsed, error) = await QueryChangeParser.ParseAsync(request, ct);
        if (parsed is null) return refusals.Refuse(nameof(QueryChange), error!);
        if (await resources.FindMissingAsync(ct) is { } missing)
            return refusals.Refuse(nameof(QueryChange), new RequestError(StatusCodes.Status503ServiceUnavailable, missing));
        ChangeAnswer answer;
        try
        {
            answer = parsed.BeforeUpload is { } before
                ? await changes.SearchAsync(before, parsed.AfterUpload!, parsed.K, parsed.Metric, ct)
                : await changes.SearchAsync(parsed.BeforeId!, parsed.AfterId!, parsed.K, parsed.Metric, ct);
        }
        catch (PatchNotFoundException e) { return refusals.Refuse(nameof(QueryChange), new RequestError(StatusCodes.Status404NotFound, e.Message)); }
        catch (PatchFormatException e) { return refusals.Refuse(nameof(QueryChange), RequestError.BadRequest(e.Message)); }
        catch (ChangeQueryException e) { return refusals.Refuse(nameof(QueryChange), RequestError.BadRequest(e.Message)); }
        return new OkObjectResult(new
        {
            answer.Encoder,
            Metric = QueryChangeParser.NameOf(answer.Metric),
            answer.Results,
            answer.PairsScanned,
            answer.ElapsedMs,
        });
    }
}
