using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace BitEarth.Infra.Tests;

/// <summary>Exactly the data-plane grants each principal needs, at the narrowest scope, and nothing broader.</summary>
public class RoleAssignmentTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageBlobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    private const string CosmosDataContributor = "00000000-0000-0000-0000-000000000002";

    private static readonly string[] BroadRoles =
    [
        "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
        "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
        "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
        "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
        "17d1049b-9a84-46fb-8f53-869881c3d3ab", // Storage Account Contributor
    ];

    private static readonly Regex Guid = new("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /// <summary>Principal parameter, scope (resource type, plus the container for container scopes), role id.</summary>
    private sealed record Grant(string Principal, string Scope, string Role);

    private static readonly Grant[] Expected =
    [
        new("functionPrincipalId", "Microsoft.Storage/storageAccounts", StorageBlobDataOwner),
        new("functionPrincipalId", "Microsoft.Storage/storageAccounts", StorageQueueDataContributor),
        new("functionPrincipalId", "Microsoft.Storage/storageAccounts", StorageTableDataContributor),
        new("functionPrincipalId", "Microsoft.Insights/components", MonitoringMetricsPublisher),
        new("functionPrincipalId", "Microsoft.DocumentDB/databaseAccounts", CosmosDataContributor),
        new("trainerPrincipalId", "Microsoft.ContainerRegistry/registries", AcrPull),
        new("trainerPrincipalId", "Microsoft.Storage/storageAccounts/blobServices/containers/patches", StorageBlobDataReader),
        new("trainerPrincipalId", "Microsoft.Storage/storageAccounts/blobServices/containers/encoders", StorageBlobDataContributor),
        new("deployerPrincipalId", "Microsoft.Storage/storageAccounts/blobServices/containers/patches", StorageBlobDataContributor),
    ];

    private static IEnumerable<Grant> Grants()
    {
        var main = CompiledTemplates.Main;
        foreach (var (template, resource) in main.ResourcesOfType("Microsoft.Authorization/roleAssignments"))
        {
            for (var i = 0; i < template.InstanceCount(resource); i++)
            {
                var properties = resource["properties"]!;
                var role = template.EvaluateString(properties["roleDefinitionId"], i) ?? "unresolved";
                yield return new(Principal(properties), Scope(resource["scope"]), Guid.Match(role).Value);
            }
        }
        foreach (var (template, resource) in main.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"))
        {
            var properties = resource["properties"]!;
            var role = Guid.Match(properties["roleDefinitionId"]!.GetValue<string>()
                .Replace("variables('cosmosDataContributor')", $"'{template.Variable("cosmosDataContributor")}'")).Value;
            yield return new(Principal(properties), Scope(properties["scope"]), role);
        }
    }

    private static string Principal(JsonNode properties) =>
        Regex.Match(properties["principalId"]!.GetValue<string>(), @"^\[parameters\('(\w+)'\)\]$").Groups[1].Value;

    /// <summary>"[resourceId('Type', parameters('x'), 'default', 'patches')]" -> "Type/patches" for containers.</summary>
    private static string Scope(JsonNode? scope)
    {
        var match = Regex.Match(scope!.GetValue<string>(), @"^\[resourceId\('([^']+)'(.*)\)\]$");
        var type = match.Groups[1].Value;
        var container = Regex.Match(match.Groups[2].Value, @"'default', '([^']+)'$");
        return container.Success ? $"{type}/{container.Groups[1].Value}" : type;
    }

    [Fact]
    public void EachPrincipalGetsExactlyItsDataPlaneRoles()
    {
        var actual = Grants().OrderBy(g => g.ToString()).ToList();

        Assert.Equal(Expected.OrderBy(g => g.ToString()), actual);
    }

    [Fact]
    public void NoBroadRoleAppearsAnywhere()
    {
        var text = CompiledTemplates.Main.Json.ToJsonString();

        Assert.All(BroadRoles, role => Assert.DoesNotContain(role, text));
    }

    [Fact]
    public void DeployerGrantIsSkippedWithoutAPrincipal()
    {
        var (template, resource) = CompiledTemplates.Main.ResourcesOfType("Microsoft.Authorization/roleAssignments")
            .Single(r => r.Resource["properties"]!["principalId"]!.GetValue<string>().Contains("deployerPrincipalId"));

        Assert.Equal("[not(empty(parameters('deployerPrincipalId')))]", resource["condition"]!.GetValue<string>());
        Assert.Equal("access", template.Name);
    }
}
