using BitEarth.Core.Geo;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Stores;

/// <summary>What the archive knows about a patch apart from its code: where it came from and what it shows.</summary>
public sealed record PatchRecord(
    string Id,
    Modality Modality,
    IReadOnlyList<string> Labels,
    string Blob,
    int Width,
    int Height,
    string? PairedId,
    DateTimeOffset? AcquiredAt)
{
    /// <summary>Where the patch lies in WGS84; null when its files carry no usable georeference.</summary>
    public GeoFootprint? Footprint { get; init; }

    /// <summary>The Sentinel-2 MGRS tile (e.g. "33UUP"), when known.</summary>
    public string? Tile { get; init; }

    /// <summary>The archive's own 19-class labels (<see cref="Patch.Labels19"/>); null for records without them, whose 19 classes are the fold of <see cref="Labels"/>.</summary>
    public IReadOnlyList<string>? Labels19 { get; init; }
}
