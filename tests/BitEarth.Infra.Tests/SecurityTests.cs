using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace BitEarth.Infra.Tests;

/// <summary>Key-based access is off everywhere and no output can carry a credential.</summary>
public class SecurityTests
{
    private static readonly ArmTemplate Main = CompiledTemplates.Main;

    private static JsonObject SingleProperties(string type) =>
        Main.ResourcesOfType(type).Single().Resource["properties"]!.AsObject();

    [Fact]
    public void StorageAccountRejectsSharedKeysPublicBlobsAndOldTls()
    {
        var storage = SingleProperties("Microsoft.Storage/storageAccounts");

        Assert.False(storage["allowSharedKeyAccess"]!.GetValue<bool>());
        Assert.False(storage["allowBlobPublicAccess"]!.GetValue<bool>());
        Assert.Equal("TLS1_2", storage["minimumTlsVersion"]!.GetValue<string>());
        Assert.True(storage["supportsHttpsTrafficOnly"]!.GetValue<bool>());
    }

    [Fact]
    public void CosmosApplicationInsightsAndRegistryDisableLocalAuth()
    {
        Assert.True(SingleProperties("Microsoft.DocumentDB/databaseAccounts")["disableLocalAuth"]!.GetValue<bool>());
        Assert.True(SingleProperties("Microsoft.Insights/components")["DisableLocalAuth"]!.GetValue<bool>());
        Assert.False(SingleProperties("Microsoft.ContainerRegistry/registries")["adminUserEnabled"]!.GetValue<bool>());
    }

    [Fact]
    public void FunctionAppAllowsNoBasicPublishingCredentials()
    {
        var policies = Main.ResourcesOfType("Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(2, policies.Count);
        Assert.All(policies, p => Assert.False(p.Resource["properties"]!["allow"]!.GetValue<bool>()));
    }

    public static TheoryData<string> Templates() =>
        new(CompiledTemplates.Main.SelfAndNested().Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Templates))]
    public void OutputsCarryNoSecrets(string templateName)
    {
        var template = Main.Nested(templateName);
        var outputs = template.Json["outputs"]?.AsObject() ?? [];

        foreach (var (name, output) in outputs)
        {
            var type = output!["type"]!.GetValue<string>();
            var value = output["value"]!.ToJsonString();
            Assert.DoesNotMatch(new Regex("key|secret|password|connectionstring|token", RegexOptions.IgnoreCase), name);
            Assert.DoesNotContain("secure", type, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(new Regex(@"\blist\w*\(", RegexOptions.IgnoreCase), value);
            Assert.DoesNotMatch(new Regex("ConnectionString|InstrumentationKey|AccountKey", RegexOptions.IgnoreCase), value);
        }
    }

    [Fact]
    public void OutputCheckSeesEveryModule()
    {
        var names = Main.SelfAndNested().Select(t => t.Name).ToList();

        Assert.Equal(
            ["main", "identities", "monitoring", "storage", "cosmos", "network", "registry", "trainer", "access", "function-app", "ingest-events"],
            names);
    }
}
