using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// Application Insights for the worker when the app has its connection string (Bicep sets it, with Entra ingestion via
/// APPLICATIONINSIGHTS_AUTHENTICATION_STRING, which the Functions package reads): the host reports requests, the
/// worker its dependencies (Cosmos DB, Blob Storage), logs and the <see cref="ArchiveMetrics"/> meter.
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    private const string LoggerProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    public static IServiceCollection AddBitEarthTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting])) return services;
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();
        services.AddHostedService<MetricsToApplicationInsights>();
        // The SDK's default rule keeps only warnings; refusals and ingest outcomes are information.
        services.Configure<LoggerFilterOptions>(options =>
        {
            if (options.Rules.FirstOrDefault(r => r.ProviderName == LoggerProvider) is { } warningsOnly) options.Rules.Remove(warningsOnly);
        });
        return services;
    }
}
