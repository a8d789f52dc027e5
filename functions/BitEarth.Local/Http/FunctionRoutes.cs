using BitEarth.Functions.Explorer;
using BitEarth.Functions.Encoders;
using BitEarth.Functions.Health;
using BitEarth.Functions.Hosting;
using BitEarth.Functions.Query;
using BitEarth.Functions.Reindex;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.DurableTask.Client;

namespace BitEarth.Local.Http;

/// <summary>
/// The Function App's HTTP routes (as in functions.metadata, under the host's "api" prefix) mapped onto the same
/// function classes; their IActionResults are executed by MVC's result executors as the Functions host does.
/// </summary>
public static partial class FunctionRoutes
{
    public static void AddFunctionRoutes(this IServiceCollection services)
    {
        services.AddMvcCore();
        services.AddTransient<QueryFunction>();
        services.AddTransient<QueryChange>();
        services.AddTransient<BitEarth.Functions.Query.GetPatch>();
        services.AddTransient<Health>();
        services.AddTransient<ListEncoders>();
        services.AddTransient<ReindexFunction>();
        services.AddTransient<GetThumbnail>();
        services.AddTransient<GetPatchStac>();
    }

    public static void MapFunctionRoutes(this WebApplication app)
    {
        app.MapPost("/api/query", (HttpContext http, QueryFunction f, DurableTaskClient durable) =>
            Execute(http, f.Query(http.Request, durable, http.RequestAborted)));
        app.MapPost("/api/query/change", (HttpContext http, QueryChange f) => Execute(http, f.Run(http.Request, http.RequestAborted)));
        app.MapGet("/api/patches/{id}", (HttpContext http, string id, BitEarth.Functions.Query.GetPatch f) =>
            Execute(http, f.Run(http.Request, id, http.RequestAborted)));
        app.MapGet("/api/health", (HttpContext http, Health f) => Execute(http, f.Run(http.Request, http.RequestAborted)));
        app.MapGet("/api/health/details", (HttpContext http, Health f) => Execute(http, f.HealthDetails(http.Request, http.RequestAborted)));
        app.MapGet("/api/encoders", (HttpContext http, ListEncoders f) => Execute(http, f.Run(http.Request, http.RequestAborted)));
        app.MapPost("/api/reindex", (HttpContext http, ReindexFunction f, DurableTaskClient durable) =>
            Execute(http, f.Reindex(http.Request, durable, http.RequestAborted)));
        app.MapGet("/api/reindex/{instanceId}", (HttpContext http, string instanceId, ReindexFunction f, DurableTaskClient durable) =>
            Execute(http, f.ReindexStatus(http.Request, instanceId, durable, http.RequestAborted)));
        app.MapGet("/api/patches/{id}/thumbnail.png", (HttpContext http, string id, GetThumbnail f) =>
            Execute(http, f.Run(http.Request, id, http.RequestAborted)));
        app.MapGet("/api/patches/{id}/stac", (HttpContext http, string id, GetPatchStac f) =>
            Execute(http, f.Run(http.Request, id, http.RequestAborted)));
        app.MapGet("/api/openapi.json", (HttpContext http) => Execute(http, Task.FromResult(OpenApi.Run(http.Request))));
        // The page and its assets take every other GET, as the Function App's catch-all route does.
        app.MapGet("/{**asset}", (HttpContext http, string? asset) => Execute(http, Task.FromResult(ExplorerPage.Run(http.Request, asset))));
    }

    private static async Task Execute(HttpContext http, Task<IActionResult> invocation)
    {
        IActionResult result;
        try
        {
            result = await invocation;
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested)
        {
            // As the Functions host does, the client learns nothing of the exception; it gets a reference to the log
            // entry that has the stack.
            LogRouteFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionRoutes)),
                e, http.Request.Method, http.Request.Path, http.TraceIdentifier);
            result = ErrorResults.Status(StatusCodes.Status500InternalServerError,
                $"the request failed unexpectedly; quote reference '{http.TraceIdentifier}' to find the details in the logs");
        }
        await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed, reference {Reference}")]
    private static partial void LogRouteFailed(ILogger logger, Exception error, string method, PathString path, string reference);
}
