namespace BitEarth.Core.Stores;

/// <summary>
/// Codes partitioned by shard, patch metadata by id, and which encoder queries use. Every operation touches one
/// partition (Cosmos DB's emulators and cost model both want that).
/// </summary>
public interface ICodeStore
{
    /// <summary>
    /// Which data this store holds (Cosmos DB: account endpoint and database; embedded: its directory). Shard
    /// snapshots name the store they were taken from, so one taken from another database is never loaded.
    /// </summary>
    string Location { get; }

    /// <summary>
    /// Inserts or replaces the record keyed by (<see cref="CodeRecord.Shard"/>, <see cref="CodeRecord.Id"/>), as
    /// Cosmos DB keys items by partition and id. A code is a pure function of encoder and patch, so a redelivered
    /// blob lands on the same key; the same Id under another shard (the patch's pixels changed) is another record.
    /// </summary>
    Task UpsertCodeAsync(CodeRecord record, CancellationToken ct = default);

    IAsyncEnumerable<CodeRecord> ReadShardAsync(string shard, CancellationToken ct = default);

    /// <summary>
    /// The records of one shard whose <see cref="CodeRecord.Stamp"/> is at or after <paramref name="since"/>: the
    /// shard's change feed. A record written after this read starts gets a stamp at or after the latest one it returns.
    /// </summary>
    IAsyncEnumerable<CodeRecord> ReadShardSinceAsync(string shard, long since, CancellationToken ct = default);

    Task UpsertPatchAsync(PatchRecord patch, CancellationToken ct = default);

    Task<PatchRecord?> GetPatchAsync(string patchId, CancellationToken ct = default);

    /// <summary>The encoder version queries search; null before the first ingest.</summary>
    Task<string?> GetActiveEncoderAsync(CancellationToken ct = default);

    /// <summary>The active encoder and the pending ones, read together in one request.</summary>
    Task<EncoderState> GetEncoderStateAsync(CancellationToken ct = default);

    /// <summary>
    /// Marks an encoder as being built by a re-index, so ingest writes its codes too until it is activated. Idempotent;
    /// several may be pending at once (two re-indexes), and concurrent calls with <see cref="SetActiveEncoderAsync"/>
    /// lose neither change.
    /// </summary>
    Task AddPendingEncoderAsync(string encoder, CancellationToken ct = default);

    /// <summary>
    /// Makes an encoder the one queries use and ends its pending state in the same write, so there is no moment when
    /// ingest writes neither its codes as active nor as pending. Other pending encoders stay pending.
    /// </summary>
    Task SetActiveEncoderAsync(string encoder, CancellationToken ct = default);
}
