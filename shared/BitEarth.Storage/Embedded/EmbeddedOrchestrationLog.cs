using System.Text.Json;

namespace BitEarth.Storage.Embedded;

/// <summary>
/// The last committed state of each long-running orchestration of a local host whose Durable Task engine keeps
/// nothing across a restart (the in-memory one): one checksummed JSON-lines log, flushed to disk per commit, from
/// which the host starts the runs again under their own instance ids. Thread-safe.
/// </summary>
public sealed class EmbeddedOrchestrationLog : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private readonly JsonLinesLog<OrchestrationRecord> _log;

    public EmbeddedOrchestrationLog(string directory)
    {
        Directory.CreateDirectory(directory);
        _log = new JsonLinesLog<OrchestrationRecord>(Path.Combine(directory, "orchestrations.jsonl"), r => r.InstanceId, Json, durable: true);
    }

    public IReadOnlyList<OrchestrationRecord> Records
    {
        get { lock (_gate) return _log.ReadAll(); }
    }

    public IReadOnlyList<QuarantinedRecord> Quarantined => _log.Quarantined;

    public void Record(OrchestrationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate) _log.Upsert(record);
    }

    public void Dispose()
    {
        lock (_gate) _log.Dispose();
    }
}
