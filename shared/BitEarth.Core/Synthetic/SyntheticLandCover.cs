using BitEarth.Core.Patches;

namespace BitEarth.Core.Synthetic;

/// <summary>
/// Typical summer Sentinel-2 L2A surface reflectance (digital numbers, reflectance x 10000, in <c>Bands.S2</c>
/// order B01..B12 without B10) and Sentinel-1 IW GRD backscatter (dB) for a few land-cover classes, from the
/// shapes reported in the remote-sensing literature: vegetation has the red edge (B05 to B07) and a bright NIR
/// plateau, water is dark beyond green, built-up areas are flat and bright in SWIR and strongly back-scattering.
/// B09 (water vapour) sits well below NIR. Each class carries its BigEarthNet 43-class name.
/// </summary>
internal sealed record SyntheticLandCover(string Name43, float[] Spectrum, float VvDb, float VhDb)
{
    public static readonly IReadOnlyList<SyntheticLandCover> All =
    [
        new("Coniferous forest", [250, 300, 450, 250, 700, 1800, 2200, 2400, 2500, 800, 1100, 500], -7.0f, -12.5f),
        new("Broad-leaved forest", [300, 350, 600, 300, 900, 2600, 3300, 3600, 3700, 1200, 1700, 750], -7.5f, -13.5f),
        new("Water bodies", [400, 500, 600, 350, 300, 200, 180, 150, 130, 60, 80, 60], -20.0f, -27.0f),
        new("Sea and ocean", [450, 600, 550, 300, 220, 150, 130, 110, 90, 40, 50, 40], -17.0f, -25.0f),
        new("Discontinuous urban fabric", [1200, 1300, 1400, 1500, 1700, 1900, 2000, 2200, 2300, 800, 2600, 2200], -1.0f, -8.0f),
        new("Non-irrigated arable land", [700, 800, 1100, 1200, 1600, 2200, 2500, 2800, 2900, 1000, 2600, 1800], -11.0f, -18.0f),
        new("Pastures", [350, 450, 800, 500, 1100, 2700, 3300, 3500, 3600, 1200, 2100, 1100], -10.0f, -17.0f),
        new("Peatbogs", [300, 400, 600, 550, 900, 1500, 1700, 1900, 2000, 700, 1600, 900], -13.0f, -20.0f),
    ];

    /// <summary>
    /// Bare soil (a clear-cut or a stripped site), flat and bright in SWIR with no red edge; outside <see cref="All"/> so
    /// the plain synthetic archive stays as it was. Only the change pairs use it (forest -> bare soil).
    /// </summary>
    public static readonly SyntheticLandCover BareSoil =
        new("Sparsely vegetated areas", [900, 1000, 1300, 1600, 1800, 2000, 2100, 2200, 2300, 800, 3200, 2700], -12.0f, -20.0f);

    public static SyntheticLandCover Named(string name43) =>
        All.Append(BareSoil).Single(c => c.Name43 == name43);
}
