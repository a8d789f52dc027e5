using BitEarth.Functions.Hosting;
using Microsoft.ApplicationInsights;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Tests.Hosting;

/// <summary>The worker reports to Application Insights exactly when the app has the connection string setting.</summary>
public sealed class TelemetryRegistrationTests
{
    private static ServiceCollection Services(string? connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryRegistration.ConnectionStringSetting] = connectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddBitEarthTelemetry(configuration);
        if (services.Count > 0) services.AddSingleton<IConfiguration>(configuration); // as the Functions host provides it
        return services;
    }

    [Fact]
    public async Task With_the_connection_string_the_worker_registers_application_insights_and_the_metric_bridge()
    {
        var services = Services("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:9/");
        Assert.Contains(services, d => d.ServiceType == typeof(TelemetryClient));
        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(MetricsToApplicationInsights));
        await using var provider = services.AddLogging().AddMetrics().BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<TelemetryClient>());
    }

    [Fact]
    public void Without_it_nothing_is_registered() => Assert.Empty(Services(null));

    [Fact]
    public void A_blank_connection_string_counts_as_none() => Assert.Empty(Services("  "));
}
