namespace BitEarth.Core.Archive;

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
}
