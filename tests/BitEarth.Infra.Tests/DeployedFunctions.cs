namespace BitEarth.Infra.Tests;

/// <summary>
/// The functions the Bicep templates wire and the Function App must publish, by name. One list for both sides:
/// the template tests check infra/function-contract.bicep against it, and a test over the published
/// functions.metadata can check the app against it.
/// </summary>
public static class DeployedFunctions
{
    /// <summary>Blob trigger (Event Grid source) the Event Grid subscription delivers to.</summary>
    public const string IngestPatch = "IngestPatch";

    /// <summary>
    /// HTTP functions: name to method and route from the host root (routePrefix is empty so the explorer page can be at
    /// "/"; every API route starts with "api/").
    /// </summary>
    public static IReadOnlyDictionary<string, HttpRoute> HttpRoutes { get; } = new Dictionary<string, HttpRoute>
    {
        ["Query"] = new("POST", "api/query"),
        ["QueryChange"] = new("POST", "api/query/change"),
        ["GetPatch"] = new("GET", "api/patches/{id}"),
        ["GetThumbnail"] = new("GET", "api/patches/{id}/thumbnail.png"),
        ["GetPatchStac"] = new("GET", "api/patches/{id}/stac"),
        ["Health"] = new("GET", "api/health"),
        ["HealthDetails"] = new("GET", "api/health/details"),
        ["ListEncoders"] = new("GET", "api/encoders"),
        ["Reindex"] = new("POST", "api/reindex"),
        ["ReindexStatus"] = new("GET", "api/reindex/{instanceId}"),
        ["OpenApi"] = new("GET", "api/openapi.json"),
        ["Explorer"] = new("GET", "{*asset}"),
    };

    /// <summary>Timer triggers: name to NCRONTAB schedule.</summary>
    public static IReadOnlyDictionary<string, string> TimerSchedules { get; } = new Dictionary<string, string>
    {
        ["RefreshSnapshots"] = "0 */10 * * * *",
    };

    public static IReadOnlyList<string> Orchestrators { get; } = ["QueryFanOut", "ReindexArchive", "FitAndReindex"];

    public static IReadOnlyList<string> Activities { get; } =
        ["SearchShardGroup", "ReindexBatch", "ListPatchBlobs", "ActivateEncoder", "FitPretrainedEncoder"];

    /// <summary>Every function name the app publishes.</summary>
    public static IReadOnlyList<string> All { get; } =
        [IngestPatch, .. HttpRoutes.Keys, .. TimerSchedules.Keys, .. Orchestrators, .. Activities];
}

/// <summary>An HTTP trigger's method and route template.</summary>
public sealed record HttpRoute(string Method, string Route);
