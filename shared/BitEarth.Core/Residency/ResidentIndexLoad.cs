namespace BitEarth.Core.Residency;

/// <summary>
/// How a resident index was loaded: shards that came from a snapshot blob plus its change feed, shards read whole
/// from the code store (no usable snapshot; <see cref="SnapshotsRefused"/> of those had a corrupt or mismatched one),
/// and how many records each source gave.
/// </summary>
public sealed record ResidentIndexLoad(
    int ShardsFromSnapshots,
    int ShardsReadWhole,
    int SnapshotsRefused,
    long RecordsFromSnapshots,
    long RecordsFromStore,
    TimeSpan Elapsed);
