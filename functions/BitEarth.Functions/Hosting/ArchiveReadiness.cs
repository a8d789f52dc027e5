namespace BitEarth.Functions.Hosting;

/// <summary>
/// Whether the archive may answer health checks with 200. The Function App is ready at once; the local host only
/// after its initial ingest, so scripts can wait on /api/health.
/// </summary>
public sealed class ArchiveReadiness
{
    private volatile bool _ready = true;

    public bool IsReady => _ready;

    public void MarkStarting() => _ready = false;

    public void MarkReady() => _ready = true;
}
