using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace BitEarth.Infra.Tests;

/// <summary>
/// Compiles a Bicep file with the pinned compiler restored from NuGet (path baked in at build time) and returns
/// the ARM JSON. The tests compile from source every run, so they never check stale output; a compiler error or a
/// missing output file fails them.
/// </summary>
public static class BicepCompiler
{
    private static string BicepPath { get; } =
        typeof(BicepCompiler).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BicepPath").Value
        ?? throw new InvalidOperationException("BicepPath metadata is empty");

    public static JsonObject Build(string bicepFile)
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"bitearth-{Guid.NewGuid():N}.json");
        try
        {
            var start = new ProcessStartInfo(BicepPath)
            {
                ArgumentList = { "build", bicepFile, "--outfile", outFile },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {BicepPath}");
            var errors = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(outFile))
            {
                throw new InvalidOperationException($"bicep build {bicepFile} failed ({process.ExitCode}): {errors}");
            }
            return JsonNode.Parse(File.ReadAllText(outFile))?.AsObject()
                ?? throw new InvalidOperationException($"bicep wrote an empty template for {bicepFile}");
        }
        finally
        {
            File.Delete(outFile);
        }
    }
}
