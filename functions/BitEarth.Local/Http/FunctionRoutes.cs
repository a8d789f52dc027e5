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
        services.AddTransient<BitEarth.Functions.Query.GetPatch>();
        services.AddTransient<Health>();
        services.AddTransient<ListEncoders>();
        services.AddTransient<ReindexFunction>();
    }

    public static void MapFunctionRoutes(this WebApplication app)
    {
        app.MapPost("/api/query", (HttpContext http, QueryFunction f, DurableTaskClient durable) =>
            Execute(http, f.Query(http.Request, durable, http.RequestAborted)));
        app.MapGet("/api/patches/{id}", (HttpContext http, string id, BitEarth.Functions.Query.GetPatch f) =>
            Execute(http, f.Run(http.Request, id, http.RequestAborted)));
        app.MapGet("/api/health", (HttpContext http, Health f) => Execute(http, f.Run(http.Request, http.RequestAborted)));
        app.MapGet("/api/encoders", (HttpContext http, ListEncoders f) => Execute(http, f.Run(http.Request, http.RequestAborted)));
        app.MapPost("/api/reindex", (HttpContext http, ReindexFunction f, DurableTaskClient durable) =>
            Execute(http, f.Reindex(http.Request, durable, http.RequestAborted)));
        app.MapGet("/api/reindex/{instanceId}", (HttpContext http, string instanceId, ReindexFunction f, DurableTaskClient durable) =>
            Execute(http, f.ReindexStatus(http.Request, instanceId, durable, http.RequestAborted)));
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
            // The Functions host answers an unhandled exception with an empty 500; here the client also gets the reason,
            // and the log gets the stack.
            LogRouteFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FunctionRoutes)),
                e, http.Request.Method, http.Request.Path);
            result = ErrorResults.Status(StatusCodes.Status500InternalServerError, $"{e.GetType().Name}: {e.Message}");
        }
        await result.ExecuteResultAsync(new ActionContext(http, http.GetRouteData(), new ActionDescriptor()));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogRouteFailed(ILogger logger, Exception error, string method, PathString path);
}
