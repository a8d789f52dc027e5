using System.Text.Json.Nodes;
using Xunit;

namespace BitEarth.Infra.Tests;

/// <summary>
/// The two opt-in hardening options of main.bicep: Entra ID authentication in front of the app (authsettingsV2) and
/// private networking of Storage and Cosmos DB (private endpoints, privatelink DNS, VNet integration). Both are off by
/// default, and each, when on, wires what the app needs to keep working.
/// </summary>
public class NetworkAndAuthOptionTests
{
    private static readonly ArmTemplate Main = CompiledTemplates.Main;

    private static JsonObject Deployment(string name) =>
        Main.Resources.Single(r => ArmTemplate.Type(r) == "Microsoft.Resources/deployments" && r["name"]!.GetValue<string>() == name);

    [Fact]
    public void Both_options_are_off_by_default()
    {
        Assert.Equal("", Main.Parameter("entraClientId")!.GetValue<string>());
        Assert.False(Main.Parameter("privateNetworkingEnabled")!.GetValue<bool>());
    }

    [Fact]
    public void Private_networking_deploys_the_network_only_when_enabled_and_turns_public_access_off()
    {
        Assert.Contains("parameters('privateNetworkingEnabled')", Deployment("network")["condition"]!.GetValue<string>());
        Assert.Equal("[if(parameters('privateNetworkingEnabled'), 'Disabled', 'Enabled')]", Main.Json["variables"]!["dataPublicNetworkAccess"]!.GetValue<string>());
        foreach (var module in new[] { "storage", "cosmos" })
        {
            Assert.Equal("[variables('dataPublicNetworkAccess')]",
                Deployment(module)["properties"]!["parameters"]!["publicNetworkAccess"]!["value"]!.GetValue<string>());
            Assert.Equal("Enabled", Main.Nested(module).Parameter("publicNetworkAccess")!.GetValue<string>());
        }
        var storage = Main.Nested("storage").ResourcesOfType("Microsoft.Storage/storageAccounts").Single().Resource["properties"]!;
        Assert.Equal("Enabled", Main.Nested("storage").EvaluateString(storage["publicNetworkAccess"]));
        Assert.Equal("Allow", Main.Nested("storage").EvaluateString(storage["networkAcls"]!["defaultAction"]));
    }

    [Fact]
    public void The_network_has_private_endpoints_for_blob_queue_table_and_cosmos_with_their_dns_zones()
    {
        var network = Main.Nested("network");
        var groups = network.ResourcesOfType("Microsoft.Network/privateEndpoints")
            .SelectMany(e => Expand(network, e.Resource, r => r["properties"]!["privateLinkServiceConnections"]![0]!["properties"]!["groupIds"]![0]))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Sql", "blob", "queue", "table"], groups);
        Assert.Equal(4, network.ResourcesOfType("Microsoft.Network/privateDnsZones").Sum(z => network.InstanceCount(z.Resource)));
        Assert.Equal(4, network.ResourcesOfType("Microsoft.Network/privateEndpoints/privateDnsZoneGroups").Sum(z => network.InstanceCount(z.Resource)));
        Assert.Equal(4, network.ResourcesOfType("Microsoft.Network/privateDnsZones/virtualNetworkLinks").Sum(z => network.InstanceCount(z.Resource)));

        var subnets = network.ResourcesOfType("Microsoft.Network/virtualNetworks").Single().Resource["properties"]!["subnets"]!.AsArray();
        Assert.Equal("Microsoft.App/environments", subnets[0]!["properties"]!["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());
    }

    [Fact]
    public void The_app_integrates_with_the_app_subnet_only_when_private_networking_is_on()
    {
        // Bicep inlines a variable that reads a module output: the whole parameter is one conditional.
        Assert.Equal("[if(parameters('privateNetworkingEnabled'), createObject('value', reference('network').outputs.appSubnetId.value), createObject('value', ''))]",
            Deployment("function-app")["properties"]!["parameters"]!["virtualNetworkSubnetId"]!.GetValue<string>());
        var app = Main.Nested("function-app");
        Assert.Equal("", app.Json["parameters"]!["virtualNetworkSubnetId"]!["defaultValue"]!.GetValue<string>());
        var site = app.ResourcesOfType("Microsoft.Web/sites").Single().Resource["properties"]!;
        Assert.Contains("parameters('virtualNetworkSubnetId')", site["virtualNetworkSubnetId"]!.GetValue<string>());
    }

    [Fact]
    public void Entra_authentication_is_conditional_and_keeps_readiness_and_event_delivery_reachable()
    {
        var app = Main.Nested("function-app");
        var auth = app.ResourcesOfType("Microsoft.Web/sites/config")
            .Single(c => c.Resource["name"]!.ToJsonString().Contains("authsettingsV2", StringComparison.Ordinal)).Resource;
        Assert.Contains("parameters('entraClientId')", auth["condition"]!.GetValue<string>());
        var validation = auth["properties"]!["globalValidation"]!;
        Assert.True(validation["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal("Return401", validation["unauthenticatedClientAction"]!.GetValue<string>());
        Assert.Equal(["/api/health", "/runtime/webhooks/blobs"], validation["excludedPaths"]!.AsArray().Select(p => p!.GetValue<string>()));
        var aad = auth["properties"]!["identityProviders"]!["azureActiveDirectory"]!;
        Assert.Equal("[parameters('entraClientId')]", aad["registration"]!["clientId"]!.GetValue<string>());
        Assert.Equal("[parameters('entraClientId')]", Deployment("function-app")["properties"]!["parameters"]!["entraClientId"]!["value"]!.GetValue<string>());
    }

    private static IEnumerable<string> Expand(ArmTemplate template, JsonObject resource, Func<JsonObject, JsonNode?> select)
    {
        for (int i = 0; i < template.InstanceCount(resource); i++)
            yield return template.EvaluateString(select(resource), i)!;
    }
}
