namespace BitEarth.Local;

/// <summary>Command line of the local host.</summary>
public sealed record LocalHostOptions
{
    /// <summary>A real BigEarthNet (v1/v2) or EuroSAT folder to ingest instead of the synthetic archive.</summary>
    public string? Archive { get; init; }

    /// <summary>An encoder package (the trainer's &lt;version&gt;.zip) to hash with: imported, activated or re-indexed to.</summary>
    public string? Encoder { get; init; }

    /// <summary>Where the embedded stores (blobs, codes) live.</summary>
    public string Data { get; init; } = Path.Combine(Environment.CurrentDirectory, ".bitearth");

    public int Port { get; init; } = 7071;

    /// <summary>"embedded" (folder + embedded code store + in-memory durable engine) or "azurite" (Azurite + Cosmos server).</summary>
    public string Backend { get; init; } = "embedded";

    /// <summary>Size of the synthetic archive, in S2/S1 pairs.</summary>
    public int Synthetic { get; init; } = 150;

    /// <summary>Places seen at two dates added to the synthetic archive for query by change (0: none).</summary>
    public int SyntheticChanges { get; init; }

    /// <summary>Encoder of a fresh archive: "resnet-itq" (pretrained features, ITQ fitted on the archive) or "lsh".</summary>
    public string DefaultEncoder { get; init; } = Startup.DefaultEncoder.Learned;

    /// <summary>Exit after printing the example query (for scripts and CI) instead of serving until Ctrl+C.</summary>
    public bool Once { get; init; }
}
