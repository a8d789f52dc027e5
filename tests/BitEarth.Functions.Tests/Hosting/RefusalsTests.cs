using BitEarth.Functions.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BitEarth.Functions.Tests.Hosting;

/// <summary>A failure's details go to the log under a reference; the client sees the reference, never the details.</summary>
public sealed class RefusalsTests
{
    [Fact]
    public void A_failure_answers_a_generic_message_with_the_reference_and_logs_the_details()
    {
        var log = new RecordingLogger();
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var refusals = new Refusals(new ArchiveMetrics(provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()), log);

        var result = Assert.IsType<ObjectResult>(refusals.Fail("Query", "abc123", "QueryFanOut ended Failed: NullReferenceException: boom"));

        Assert.Equal(500, result.StatusCode);
        var error = (string)result.Value!.GetType().GetProperty("error")!.GetValue(result.Value)!;
        Assert.Contains("abc123", error);
        Assert.DoesNotContain("boom", error);
        Assert.DoesNotContain("Exception", error);
        Assert.Contains(log.Lines, l => l.Contains("abc123") && l.Contains("NullReferenceException: boom"));
    }

    private sealed class RecordingLogger : ILogger<Refusals>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
