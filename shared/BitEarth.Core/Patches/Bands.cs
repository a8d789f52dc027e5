namespace BitEarth.Core.Patches;

/// <summary>Canonical band orders every reader produces and every hasher consumes.</summary>
public static class Bands
{
    /// <summary>BigEarthNet's 12 Sentinel-2 bands (B10, cirrus, is not distributed) in wavelength order.</summary>
    public static readonly IReadOnlyList<string> S2 = ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12"];

    /// <summary>Sentinel-1 dual polarisation backscatter in dB.</summary>
    public static readonly IReadOnlyList<string> S1 = ["VV", "VH"];

    public static IReadOnlyList<string> For(Modality modality) => modality == Modality.S1 ? S1 : S2;
}
