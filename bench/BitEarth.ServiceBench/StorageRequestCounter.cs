using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace BitEarth.ServiceBench;

/// <summary>
/// Counts the requests this process's Azure SDK clients send (the Durable Task Azure Storage provider's queues and
/// tables, the blob store) and times them from request to response, by service as the development storage ports tell
/// them apart: what a durable query costs Azurite, and how long Azurite takes per request under that load. The Cosmos
/// DB client does not go through Azure.Core and is not counted.
/// </summary>
public sealed class StorageRequestCounter : EventListener
{
    // Blob, queue, table (ports 10000-10002), anything else.
    private readonly long[] _counts = new long[4];
    private readonly long[] _answered = new long[4];
    private readonly long[] _ticks = new long[4];
    private readonly ConcurrentDictionary<string, (int Service, DateTime Sent)> _pending = new();

    public StorageRequestTotals Totals => new([.. _counts.Select((_, i) => Interlocked.Read(ref _counts[i]))],
        [.. _answered.Select((_, i) => Interlocked.Read(ref _answered[i]))], [.. _ticks.Select((_, i) => Interlocked.Read(ref _ticks[i]))]);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Azure-Core") EnableEvents(eventSource, EventLevel.Informational);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (Payload(eventData, "requestId") is not { } id) return;
        switch (eventData.EventName)
        {
            case "Request" when Payload(eventData, "uri") is { } uri:
                var port = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed.Port : 0;
                var service = port is >= 10000 and <= 10002 ? port - 10000 : 3;
                Interlocked.Increment(ref _counts[service]);
                _pending[id] = (service, eventData.TimeStamp);
                break;
            case "Response" or "ErrorResponse" when _pending.TryRemove(id, out var sent):
                Interlocked.Increment(ref _answered[sent.Service]);
                Interlocked.Add(ref _ticks[sent.Service], (eventData.TimeStamp - sent.Sent).Ticks);
                break;
        }
    }

    private static string? Payload(EventWrittenEventArgs e, string name) =>
        e.PayloadNames?.IndexOf(name) is >= 0 and var at ? e.Payload?[at] as string : null;
}
