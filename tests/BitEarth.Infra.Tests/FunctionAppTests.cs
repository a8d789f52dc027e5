using System.Text.Json.Nodes;
using Xunit;

namespace BitEarth.Infra.Tests;

/// <summary>Flex Consumption, .NET isolated, and identity-based connections only.</summary>
public class FunctionAppTests
{
    private static readonly ArmTemplate App = CompiledTemplates.Main.Nested("function-app");

    /// <summary>App settings by name; values Azure resolves at deployment (endpoints, client ids) are null.</summary>
    private static JsonObject Settings()
    {
        var (_, config) = App.ResourcesOfType("Microsoft.Web/sites/config").Single();
        return App.Evaluate(config["properties"])!.AsObject();
    }

    [Fact]
    public void RunsOnFlexConsumptionWithTheIsolatedWorker()
    {
        var plan = App.ResourcesOfType("Microsoft.Web/serverfarms").Single().Resource;
        var config = App.ResourcesOfType("Microsoft.Web/sites").Single().Resource["properties"]!["functionAppConfig"]!;

        Assert.Equal("FC1", plan["sku"]!["name"]!.GetValue<string>());
        Assert.Equal("dotnet-isolated", config["runtime"]!["name"]!.GetValue<string>());
        Assert.Equal("10.0", App.EvaluateString(config["runtime"]!["version"]));
        Assert.Equal("UserAssignedIdentity", config["deployment"]!["storage"]!["authentication"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void SettingsNameEveryIdentityBasedConnectionTheAppReads()
    {
        var settings = Settings();

        Assert.All(
            [
                "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
                "PatchStorage__blobServiceUri", "PatchStorage__queueServiceUri", "PatchStorage__credential",
                "Cosmos__Endpoint", "Cosmos__Database", "BitEarth__PrefixBits", "AZURE_CLIENT_ID",
                "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
            ],
            name => Assert.True(settings.ContainsKey(name), name));
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]!.GetValue<string>());
        Assert.Equal("managedidentity", settings["PatchStorage__credential"]!.GetValue<string>());
        Assert.Equal("4", settings["BitEarth__PrefixBits"]!.GetValue<string>());
        Assert.Equal("bitearth", CompiledTemplates.Main.Variable("cosmosDatabaseName")!.GetValue<string>());
    }

    [Fact]
    public void SettingsHoldNoKeysOrStorageConnectionStrings()
    {
        var settings = Settings();
        var (_, config) = App.ResourcesOfType("Microsoft.Web/sites/config").Single();
        var text = config.ToJsonString();

        Assert.False(settings.ContainsKey("AzureWebJobsStorage"));
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME")); // set by functionAppConfig on Flex
        Assert.Equal(["APPLICATIONINSIGHTS_CONNECTION_STRING"], settings.Select(s => s.Key).Where(k => k.Contains("CONNECTION_STRING")));
        Assert.DoesNotContain("AccountKey", text);
        Assert.DoesNotContain("SharedAccessSignature", text);
        Assert.DoesNotContain("DefaultEndpointsProtocol", text);
        Assert.DoesNotContain("listKeys", text);
    }

    [Fact]
    public void TrainerJobIsManualOnServerlessGpuWithManagedIdentityPull()
    {
        var trainer = CompiledTemplates.Main.Nested("trainer");
        var job = trainer.ResourcesOfType("Microsoft.App/jobs").Single().Resource;
        var environment = trainer.ResourcesOfType("Microsoft.App/managedEnvironments").Single().Resource;
        var profiles = trainer.Evaluate(environment["properties"]!["workloadProfiles"])!.AsArray();
        var configuration = job["properties"]!["configuration"]!;

        Assert.Equal("Manual", configuration["triggerType"]!.GetValue<string>());
        Assert.Equal("UserAssigned", job["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("[parameters('identityId')]", configuration["registries"]![0]!["identity"]!.GetValue<string>());
        Assert.Null(configuration["registries"]![0]!["passwordSecretRef"]);
        Assert.Contains(profiles, p => p!["workloadProfileType"]!.GetValue<string>() == "Consumption-GPU-NC8as-T4");
        Assert.Equal("gpu", trainer.EvaluateString(job["properties"]!["workloadProfileName"]));
    }

    [Fact]
    public void TrainerJobTrainsFromThePatchesContainerIntoTheEncodersContainerAsItsIdentity()
    {
        var trainer = CompiledTemplates.Main.Nested("trainer");
        var job = trainer.ResourcesOfType("Microsoft.App/jobs").Single().Resource;
        var container = job["properties"]!["template"]!["containers"]![0]!;
        var args = trainer.Json["variables"]!["trainingArgs"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        string After(string option) => args[args.IndexOf(option) + 1];

        Assert.Equal("[variables('trainingArgs')]", container["args"]!.GetValue<string>()); // not the image's default command
        Assert.Equal("train", args[0]);
        Assert.Equal("[format('{0}patches', variables('blobRoot'))]", After("--archive"));
        Assert.Equal("[format('{0}encoders', variables('blobRoot'))]", After("--out"));
        Assert.Contains("parameters('blobEndpoint')", trainer.Json["variables"]!["blobRoot"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ResNet", After("--preset"));
        Assert.Equal("18", After("--depth"));
        Assert.Equal("cuda", After("--device"));
        Assert.Equal("both", trainer.EvaluateString(JsonValue.Create(After("--modality"))));
        Assert.Equal("64", trainer.EvaluateString(JsonValue.Create(After("--bits"))));
        // The identity is the only credential: DefaultAzureCredential picks the user-assigned one by its client id.
        var env = container["env"]!.AsArray();
        var clientId = Assert.Single(env);
        Assert.Equal("AZURE_CLIENT_ID", clientId!["name"]!.GetValue<string>());
        Assert.Equal("[parameters('identityClientId')]", clientId["value"]!.GetValue<string>());
    }
}
