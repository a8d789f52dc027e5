using System.Text.Json.Nodes;
using Xunit;

namespace BitEarth.Infra.Tests;

/// <summary>The Event Grid subscription delivers only new patches, only to IngestPatch's blob extension webhook.</summary>
public class IngestEventsTests
{
    private static readonly ArmTemplate IngestEvents = CompiledTemplates.Main.Nested("ingest-events");

    private static JsonNode Subscription =>
        IngestEvents.ResourcesOfType("Microsoft.EventGrid/systemTopics/eventSubscriptions").Single().Resource["properties"]!;

    [Fact]
    public void FiltersToBlobCreatedInThePatchesContainer()
    {
        var filter = IngestEvents.Evaluate(Subscription["filter"])!;

        Assert.Equal("/blobServices/default/containers/patches/", filter["subjectBeginsWith"]!.GetValue<string>());
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public void DeliversToTheIngestFunctionsBlobExtensionWebhook()
    {
        var destination = Subscription["destination"]!;
        var url = destination["properties"]!["endpointUrl"]!.GetValue<string>();

        Assert.Equal("WebHook", destination["endpointType"]!.GetValue<string>());
        Assert.StartsWith("[format('https://{0}/runtime/webhooks/blobs?functionName=Host.Functions.{1}&code={2}'", url);
        Assert.Contains(".systemKeys.blobs_extension", url);
        Assert.Equal(DeployedFunctions.IngestPatch, IngestEvents.Parameter("ingestFunctionName")!.GetValue<string>());
    }

    [Fact]
    public void SubscribesToTheStorageAccountsSystemTopic()
    {
        var topic = CompiledTemplates.Main.ResourcesOfType("Microsoft.EventGrid/systemTopics").Single().Resource["properties"]!;

        Assert.Equal("Microsoft.Storage.StorageAccounts", topic["topicType"]!.GetValue<string>());
        Assert.Equal(
            "[resourceId('Microsoft.Storage/storageAccounts', parameters('storageAccountName'))]",
            topic["source"]!.GetValue<string>());
    }

    [Fact]
    public void IsDeployedOnlyOnceTheAppCodeAndItsKeyExist()
    {
        var deployment = CompiledTemplates.Main.Resources.Single(r => r["name"]?.GetValue<string>() == "ingest-events");

        Assert.Equal("[parameters('ingestEventsEnabled')]", deployment["condition"]!.GetValue<string>());
        Assert.False(CompiledTemplates.Main.Parameter("ingestEventsEnabled")!.GetValue<bool>());
    }

    [Fact]
    public void StandaloneModuleCompilesForThePostdeployHook()
    {
        var module = new ArmTemplate(BicepCompiler.Build(CompiledTemplates.InfraFile("modules/ingest-events.bicep")));

        Assert.Single(module.ResourcesOfType("Microsoft.EventGrid/systemTopics/eventSubscriptions"));
        Assert.Equal(DeployedFunctions.IngestPatch, module.Parameter("ingestFunctionName")!.GetValue<string>());
    }
}
