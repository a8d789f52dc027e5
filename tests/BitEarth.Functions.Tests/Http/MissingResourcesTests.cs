using System.Net;
using BitEarth.Functions.Hosting;

namespace BitEarth.Functions.Tests.Http;

/// <summary>
/// Against a Cosmos DB server without the archive's database (as a fresh emulator is) and with creating it switched
/// off, every data route answers 503 naming what is missing instead of a 500 from deep inside a store call.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class MissingResourcesTests
{
    [Fact]
    public async Task Without_its_database_the_app_says_what_is_missing()
    {
        var database = $"missing{Guid.NewGuid():N}"[..16];
        await using var host = await LocalHostRunner.StartAsync("azurite", synthetic: 2, settings: new Dictionary<string, string?>
        {
            ["Cosmos:Database"] = database,
            ["Durable:TaskHub"] = $"miss{Guid.NewGuid():N}"[..16],
            [AzureArchiveResources.CreateSettingName] = "false",
        });

        var (query, body) = await host.PostJsonAsync("/api/query", new { patchId = "x", k = 3 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, query);
        Assert.StartsWith($"Cosmos DB database '{database}' does not exist", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains(AzureArchiveResources.CreateSettingName, body.GetProperty("error").GetString(), StringComparison.Ordinal);

        var (patch, _) = await host.GetJsonAsync("/api/patches/x");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, patch);
        var (health, readiness) = await host.GetJsonAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health);
        Assert.Equal("not ready", readiness.GetProperty("error").GetString());
        var (details, why) = await host.GetJsonAsync("/api/health/details");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, details);
        Assert.Contains(database, why.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
