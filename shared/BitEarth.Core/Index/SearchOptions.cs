namespace BitEarth.Core.Index;

/// <summary>How a batch of queries is searched.</summary>
public sealed record SearchOptions
{
    /// <summary>Let the index skip codes that cannot enter the top-k (exact either way); false scans every code.</summary>
    public bool Prune { get; init; } = true;

    /// <summary>Threads to spread the queries over; defaults to all cores.</summary>
    public int MaxThreads { get; init; } = Environment.ProcessorCount;
}
