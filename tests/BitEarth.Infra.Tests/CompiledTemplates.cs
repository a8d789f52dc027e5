namespace BitEarth.Infra.Tests;

/// <summary>infra/main.bicep compiled once per test run (and the standalone ingest-events module).</summary>
public static class CompiledTemplates
{
    private static readonly Lazy<ArmTemplate> MainTemplate =
        new(() => new ArmTemplate(BicepCompiler.Build(InfraFile("main.bicep"))));

    public static ArmTemplate Main => MainTemplate.Value;

    public static string InfraFile(string relative) => Path.Combine(RepositoryRoot.Path, "infra", relative);
}
