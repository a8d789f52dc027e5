using System.Text.Json.Nodes;
using Xunit;

namespace BitEarth.Infra.Tests;

/// <summary>infra/main.parameters.json (what azd passes) names only parameters main.bicep declares.</summary>
public class AzdParametersTests
{
    [Fact]
    public void EveryAzdParameterExistsInMainAndEveryRequiredOneIsPassed()
    {
        var file = JsonNode.Parse(File.ReadAllText(CompiledTemplates.InfraFile("main.parameters.json")))!;
        var passed = file["parameters"]!.AsObject().Select(p => p.Key).ToHashSet();
        var declared = CompiledTemplates.Main.Json["parameters"]!.AsObject();
        var required = declared.Where(p => p.Value!["defaultValue"] is null).Select(p => p.Key);

        Assert.Subset(declared.Select(p => p.Key).ToHashSet(), passed);
        Assert.Subset(passed, required.ToHashSet());
    }
}
