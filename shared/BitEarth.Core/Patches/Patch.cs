using BitEarth.Core.Geo;

namespace BitEarth.Core.Patches;

/// <summary>
/// One image patch on a single grid: pixels are band-major (band b, row y, column x at b*W*H + y*W + x),
/// S2 as digital numbers (reflectance x 10000), S1 as backscatter in dB.
/// </summary>
public sealed record Patch(
    string Id,
    Modality Modality,
    int Width,
    int Height,
    IReadOnlyList<string> BandNames,
    float[] Pixels,
    IReadOnlyList<string> Labels)
{
    /// <summary>Id of the co-registered patch of the other modality, when the archive pairs them.</summary>
    public string? PairedId { get; init; }

    public DateTimeOffset? AcquiredAt { get; init; }

    /// <summary>Where the patch lies, in WGS84, when its files say (GeoTIFF tags or BigEarthNet metadata).</summary>
    public GeoFootprint? Footprint { get; init; }

    /// <summary>The Sentinel-2 MGRS tile the patch was cut from (e.g. "33UUP"), when its name or metadata says.</summary>
    public string? Tile { get; init; }

    /// <summary>
    /// The 19-class labels as the archive states them (BigEarthNet v2's metadata.parquet); null when it does not, and
    /// then they are the fold of <see cref="Labels"/> (<see cref="LandCoverClasses.ForScoring(Patch)"/>).
    /// </summary>
    public IReadOnlyList<string>? Labels19 { get; init; }

    public int BandCount => BandNames.Count;

    public ReadOnlySpan<float> Band(int b) => Pixels.AsSpan(b * Width * Height, Width * Height);
}
