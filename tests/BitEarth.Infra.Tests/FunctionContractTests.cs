using Xunit;

namespace BitEarth.Infra.Tests;

/// <summary>The function names and routes the templates wire are the ones in <see cref="DeployedFunctions"/>.</summary>
public class FunctionContractTests
{
    [Fact]
    public void OutputsNameTheIngestFunction()
    {
        var outputs = CompiledTemplates.Main.Json["outputs"]!;

        Assert.Equal(DeployedFunctions.IngestPatch, CompiledTemplates.Main.EvaluateString(outputs["INGEST_FUNCTION_NAME"]!["value"]));
    }

    [Fact]
    public void OutputsListEveryHttpFunctionWithItsMethodAndRoute()
    {
        var routes = CompiledTemplates.Main.Evaluate(CompiledTemplates.Main.Json["outputs"]!["HTTP_ROUTES"]!["value"])!.AsObject();

        var actual = routes.ToDictionary(
            r => r.Key,
            r => new HttpRoute(r.Value!["method"]!.GetValue<string>(), r.Value["route"]!.GetValue<string>()));

        Assert.Equal(DeployedFunctions.HttpRoutes.OrderBy(r => r.Key), actual.OrderBy(r => r.Key));
    }

    [Fact]
    public void OutputsListEveryTimerFunctionWithItsSchedule()
    {
        var schedules = CompiledTemplates.Main.Evaluate(CompiledTemplates.Main.Json["outputs"]!["TIMER_SCHEDULES"]!["value"])!.AsObject();

        var actual = schedules.ToDictionary(s => s.Key, s => s.Value!.GetValue<string>());

        Assert.Equal(DeployedFunctions.TimerSchedules.OrderBy(s => s.Key), actual.OrderBy(s => s.Key));
    }

    [Fact]
    public void EveryFunctionNameIsListedOnce() =>
        Assert.Equal(DeployedFunctions.All.Count, DeployedFunctions.All.Distinct().Count());
}
