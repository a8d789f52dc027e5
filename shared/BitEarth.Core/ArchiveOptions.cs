using BitEarth.Core.Patches;

namespace BitEarth.Core;

/// <summary>Settings shared by every host (Function App, local host, tests).</summary>
public sealed record ArchiveOptions
{
    /// <summary>Code bits used as the shard key: 2^PrefixBits shards per encoder and modality.</summary>
    public int PrefixBits { get; init; } = 4;

    /// <summary>Shards searched by one fan-out activity.</summary>
    public int ShardsPerGroup { get; init; } = 4;

    /// <summary>Encoder created on first start when none is active: random-hyperplane LSH, 64 bits, seed 42.</summary>
    public int DefaultBits { get; init; } = 64;

    public int DefaultSeed { get; init; } = 42;

    /// <summary>Patch blobs re-hashed by one re-index activity.</summary>
    public int ReindexBatchSize { get; init; } = 50;

    /// <summary>
    /// How often a query has a resident index read what changed in the code store since it last looked, so codes other
    /// instances wrote show up; zero refreshes on every query.
    /// </summary>
    public TimeSpan IndexRefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How far before the latest stamp seen a change-feed read starts. Stamps are whole seconds, taken by the server that
    /// commits the write: the same second is always read again, and the overlap covers a write landing a little behind
    /// one already read (a clock step, a failover). Reading a record twice is harmless; the overlap is re-read each time.
    /// </summary>
    public TimeSpan StampOverlap { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long ingest reuses the encoder state (active and pending encoders) it read from the code store instead of
    /// reading it per blob; a re-index's first page waits this long (plus <see cref="StampOverlap"/>) after the new
    /// encoder became pending. Zero reads it for every blob.
    /// </summary>
    public TimeSpan EncoderStateInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shards a resident index load reads at once (snapshot blob and change feed, or the whole shard).</summary>
    public int ShardLoadConcurrency { get; init; } = 8;

    /// <summary>
    /// Codes an instance holds at most (0: no cap, every instance holds the whole archive). With a cap, an instance
    /// holds whole shard groups, the least recently used evicted to make room, and a group beyond it is loaded
    /// (snapshot plus change-feed tail) when a search needs it; the durable fan-out spreads the groups over instances.
    /// </summary>
    public long MaxResidentCodes { get; init; }

    /// <summary>Durable queries of one instance that one QueryFanOut orchestration carries at most (1: one each).</summary>
    public int FanOutMaxBatch { get; init; } = 16;

    /// <summary>QueryFanOut orchestrations one instance runs at once; queries that find them all running share the next.</summary>
    public int FanOutsRunning { get; init; } = 2;

    /// <summary><see cref="StampOverlap"/> in stamp units (whole seconds, rounded up).</summary>
    public long StampOverlapSeconds => (long)Math.Ceiling(StampOverlap.TotalSeconds);
}
