using System.Diagnostics.Metrics;
using Microsoft.ApplicationInsights;
using Microsoft.ApplicationInsights.Metrics;
using Microsoft.Extensions.Hosting;

namespace BitEarth.Functions.Hosting;

/// <summary>
/// Forwards every measurement of this process's <see cref="ArchiveMetrics.MeterName"/> meter to Application Insights
/// as a pre-aggregated custom metric (the classic SDK does not read System.Diagnostics.Metrics itself); tags become
/// metric dimensions.
/// </summary>
public sealed class MetricsToApplicationInsights(TelemetryClient telemetry, IMeterFactory meters) : IHostedService, IDisposable
{
    private readonly MeterListener _listener = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ArchiveMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meters))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Track(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Track(i, value, tags));
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Track(i, value, tags));
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listener.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();

    private void Track(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (tags.Length)
        {
            case 0:
                telemetry.GetMetric(new MetricIdentifier(ArchiveMetrics.MeterName, instrument.Name)).TrackValue(value);
                break;
            case 1:
                telemetry.GetMetric(new MetricIdentifier(ArchiveMetrics.MeterName, instrument.Name, tags[0].Key))
                    .TrackValue(value, tags[0].Value?.ToString());
                break;
            default:
                telemetry.GetMetric(new MetricIdentifier(ArchiveMetrics.MeterName, instrument.Name, tags[0].Key, tags[1].Key))
                    .TrackValue(value, tags[0].Value?.ToString(), tags[1].Value?.ToString());
                break;
        }
    }
}
