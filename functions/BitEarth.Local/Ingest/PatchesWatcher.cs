using BitEarth.Core.Ingest;
using BitEarth.Core.Stores;
using BitEarth.Functions.Ingest;

namespace BitEarth.Local.Ingest;

/// <summary>
/// Stands in for the Event Grid blob trigger: lists the patches container and calls the same IngestPatch function for
/// every blob it has not handled in this version, a version being the blob's (length, last-modified time): a rewrite
/// is ingested again, and a name that left the container (quarantined, deleted) is forgotten, so the same name
/// uploaded again is new. A blob modified within <see cref="Settle"/> may still be being written (a file copied into
/// the folder) and waits for a later pass. The first pass re-ingests everything (upserts are idempotent).
/// </summary>
public sealed partial class PatchesWatcher(IBlobStore blobs, IngestPatch ingest, ILogger<PatchesWatcher> logger, TimeProvider? clock = null)
{
    private readonly Dictionary<string, BlobEntry> _handled = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>How long a blob must go unmodified before it is read.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>Blobs seen in the last pass that were too fresh to read.</summary>
    public int Unsettled { get; private set; }

    /// <summary>One pass: ingests every new or rewritten settled blob; returns what became of each.</summary>
    public async Task<IReadOnlyList<IngestOutcome>> PollAsync(CancellationToken ct)
    {
        var listed = new List<BlobEntry>();
        await foreach (var entry in blobs.ListEntriesAsync(Containers.Patches, null, ct)) listed.Add(entry);
        var names = listed.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _handled.Keys.Where(n => !names.Contains(n)).ToList()) _handled.Remove(gone);

        var now = _clock.GetUtcNow();
        var changed = listed.Where(e => !_handled.TryGetValue(e.Name, out var seen) || seen != e).ToList();
        var fresh = changed.Where(e => now - e.LastModified >= Settle).ToList();
        Unsettled = changed.Count - fresh.Count;

        var outcomes = new IngestOutcome[fresh.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, fresh.Count), new ParallelOptions { CancellationToken = ct }, async (i, token) =>
        {
            try
            {
                outcomes[i] = await ingest.Run(Stream.Null, fresh[i].Name, token);
                KillSwitch.Passed("ingest");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store outage must not kill the watcher; the blob stays unhandled and is retried next pass.
                LogIngestFailed(logger, e, fresh[i].Name);
                outcomes[i] = new IngestOutcome(fresh[i].Name, IngestStatus.Missing, Reason: e.Message);
            }
        });
        for (int i = 0; i < fresh.Count; i++)
            if (outcomes[i].Reason is null || outcomes[i].Status != IngestStatus.Missing) _handled[fresh[i].Name] = fresh[i];
        return outcomes;
    }

    /// <summary>Passes until no blob is left waiting to settle (the start-up ingest of a just-seeded archive).</summary>
    public async Task<IReadOnlyList<IngestOutcome>> PollUntilSettledAsync(CancellationToken ct)
    {
        var outcomes = new List<IngestOutcome>(await PollAsync(ct));
        while (Unsettled > 0)
        {
            await Task.Delay(Settle / 4, _clock, ct);
            outcomes.AddRange(await PollAsync(ct));
        }
        return outcomes;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest of {Blob} failed; will retry")]
    private static partial void LogIngestFailed(ILogger logger, Exception error, string blob);
}
