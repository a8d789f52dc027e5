using System.Text.Json.Nodes;
using Xunit;

namespace BitEarth.Infra.Tests;

public class CosmosTests
{
    private static readonly ArmTemplate Cosmos = CompiledTemplates.Main.Nested("cosmos");

    private static JsonObject Container(string name) =>
        Cosmos.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .Select(c => c.Resource["properties"]!["resource"]!.AsObject())
            .Single(r => r["id"]!.GetValue<string>() == name);

    [Fact]
    public void AccountIsServerlessByDefault()
    {
        var account = Cosmos.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts").Single().Resource;

        var capabilities = Cosmos.Evaluate(account["properties"]!["capabilities"])!.AsArray();

        Assert.Equal("Serverless", CompiledTemplates.Main.Parameter("cosmosCapacityMode")!.GetValue<string>());
        Assert.Contains(capabilities, c => c!["name"]!.GetValue<string>() == "EnableServerless");
    }

    [Fact]
    public void DatabaseIsNamedAsTheAppReadsIt()
    {
        var database = Cosmos.ResourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlDatabases").Single().Resource;

        Assert.Equal("bitearth", Cosmos.EvaluateString(database["properties"]!["resource"]!["id"]));
    }

    [Fact]
    public void CodesArePartitionedByShardAndTheirBytesAreNotIndexed()
    {
        var codes = Container("codes");

        Assert.Equal(["/shard"], codes["partitionKey"]!["paths"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Contains(codes["indexingPolicy"]!["excludedPaths"]!.AsArray(), p => p!["path"]!.GetValue<string>() == "/code/?");
    }

    [Theory]
    [InlineData("patches")]
    [InlineData("control")]
    public void MetadataContainersArePartitionedById(string name) =>
        Assert.Equal(["/id"], Container(name)["partitionKey"]!["paths"]!.AsArray().Select(p => p!.GetValue<string>()));
}
