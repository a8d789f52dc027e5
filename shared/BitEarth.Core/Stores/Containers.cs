using BitEarth.Core.Ingest;

namespace BitEarth.Core.Stores;

/// <summary>Blob container names shared by the functions, the local host and the Bicep templates.</summary>
public static class Containers
{
    public const string Patches = "patches";
    public const string Quarantine = "quarantine";
    public const string Encoders = "encoders";
    public const string Snapshots = "snapshots";
    public const string Thumbnails = "thumbnails";
}
