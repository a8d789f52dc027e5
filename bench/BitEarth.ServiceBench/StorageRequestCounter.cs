using System.Diagnostics.Tracing;

namespace BitEarth.ServiceBench;

/// <summary>
/// Counts the requests this process's Azure SDK clients send (the Durable Task Azure Storage provider's queues and
/// tables, the blob store), by service as the development storage ports tell them apart: what a durable query costs
/// Azurite. The Cosmos DB client does not go through Azure.Core and is not counted.
/// </summary>
public sealed class StorageRequestCounter : EventListener
{
    // Blob, queue, table (ports 10000-10002), anything else.
    private readonly long[] _counts = new long[4];

    public (long Blob, long Queue, long Table, long Other) Counts =>
        (Interlocked.Read(ref _counts[0]), Interlocked.Read(ref _counts[1]), Interlocked.Read(ref _counts[2]), Interlocked.Read(ref _counts[3]));

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Azure-Core") EnableEvents(eventSource, EventLevel.Informational);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "Request" || eventData.PayloadNames?.IndexOf("uri") is not (>= 0 and var at) || eventData.Payload?[at] is not string uri) return;
        var port = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed.Port : 0;
        Interlocked.Increment(ref _counts[port is >= 10000 and <= 10002 ? port - 10000 : 3]);
    }
}
