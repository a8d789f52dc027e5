using System.Globalization;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Functions.Query;

/// <summary>
/// A patch as a STAC 1.0 Item: footprint polygon and bbox in WGS84, the acquisition time as <c>datetime</c>, assets
/// for the source blob and the thumbnail, and the band description of its sensor (the <c>eo</c> extension for
/// Sentinel-2, <c>sar</c> for Sentinel-1). A patch without a footprint has a null geometry, as STAC allows.
/// </summary>
public static class StacItem
{
    private const string Eo = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
    private const string Sar = "https://stac-extensions.github.io/sar/v1.0.0/schema.json";

    // Sentinel-2 MSI band centres (µm), as the eo extension's common names have them.
    private static readonly Dictionary<string, (string? Common, double Centre)> S2Bands = new()
    {
        ["B01"] = ("coastal", 0.443), ["B02"] = ("blue", 0.490), ["B03"] = ("green", 0.560), ["B04"] = ("red", 0.665),
        ["B05"] = ("rededge", 0.705), ["B06"] = ("rededge", 0.740), ["B07"] = ("rededge", 0.783), ["B08"] = ("nir", 0.842),
        ["B8A"] = ("nir08", 0.865), ["B09"] = ("nir09", 0.945), ["B11"] = ("swir16", 1.610), ["B12"] = ("swir22", 2.190),
    };

    public static Dictionary<string, object?> For(PatchRecord patch, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var s1 = patch.Modality == Modality.S1;
        var properties = new Dictionary<string, object?>
        {
            ["datetime"] = patch.AcquiredAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["platform"] = s1 ? "sentinel-1" : "sentinel-2",
            ["constellation"] = s1 ? "sentinel-1" : "sentinel-2",
            ["instruments"] = s1 ? new[] { "c-sar" } : ["msi"],
            ["bitearth:labels"] = patch.Labels,
            ["bitearth:size"] = new[] { patch.Width, patch.Height },
        };
        if (patch.Tile is not null) properties["grid:code"] = $"MGRS-{patch.Tile}";
        if (patch.PairedId is not null) properties["bitearth:paired_patch"] = patch.PairedId;
        if (s1)
        {
            properties["sar:instrument_mode"] = "IW";
            properties["sar:frequency_band"] = "C";
            properties["sar:center_frequency"] = 5.405;
            properties["sar:polarizations"] = Bands.S1;
            properties["sar:product_type"] = "GRD";
        }

        var thumbnail = $"{baseUrl}/api/patches/{Uri.EscapeDataString(patch.Id)}/thumbnail.png";
        var data = new Dictionary<string, object?>
        {
            ["href"] = patch.Blob,
            ["title"] = "Source patch blob in the patches container",
            ["roles"] = new[] { "data" },
        };
        if (s1) data["sar:polarizations"] = Bands.S1;
        else data["eo:bands"] = Bands.S2.Select(b => new Dictionary<string, object?>
        {
            ["name"] = b, ["common_name"] = S2Bands[b].Common, ["center_wavelength"] = S2Bands[b].Centre,
        }).ToList();

        var links = new List<object>
        {
            new Dictionary<string, string> { ["rel"] = "self", ["href"] = $"{baseUrl}/api/patches/{Uri.EscapeDataString(patch.Id)}/stac" },
        };
        if (patch.PairedId is not null)
            links.Add(new Dictionary<string, string> { ["rel"] = "related", ["href"] = $"{baseUrl}/api/patches/{Uri.EscapeDataString(patch.PairedId)}/stac" });

        return new Dictionary<string, object?>
        {
            ["type"] = "Feature",
            ["stac_version"] = "1.0.0",
            ["stac_extensions"] = new[] { s1 ? Sar : Eo },
            ["id"] = patch.Id,
            ["geometry"] = patch.Footprint is { } f ? new Dictionary<string, object> { ["type"] = "Polygon", ["coordinates"] = f.ToPolygonCoordinates() } : null,
            ["bbox"] = patch.Footprint?.Bounds.ToArray(),
            ["properties"] = properties,
            ["assets"] = new Dictionary<string, object>
            {
                ["data"] = data,
                ["thumbnail"] = new Dictionary<string, object> { ["href"] = thumbnail, ["type"] = "image/png", ["roles"] = new[] { "thumbnail" } },
            },
            ["links"] = links,
        };
    }
}
