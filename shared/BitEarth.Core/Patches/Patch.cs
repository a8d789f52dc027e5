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

    public int BandCount => BandNames.Count;

    public ReadOnlySpan<float> Band(int b) => Pixels.AsSpan(b * Width * Height, Width * Height);
}
