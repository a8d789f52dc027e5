using System.Globalization;
using System.Text.Json;

namespace BitEarth.Core.Patches;

/// <summary>UTM corners of a patch as BigEarthNet v1 records them.</summary>
public readonly record struct UtmBounds(double Ulx, double Uly, double Lrx, double Lry);

/// <summary>
/// The content of a BigEarthNet v1 <c>&lt;patch&gt;_labels_metadata.json</c>. Labels are checked against the 43 CLC names.
/// S1 files name the lower-right northing <c>lly</c> instead of <c>lry</c> and their date <c>acquisition_time</c>;
/// both spellings are read. <see cref="PairedId"/> comes from <c>corresponding_s2_patch</c> (S1 files) or
/// <c>corresponding_s1_patch</c> (written by our synthetic archive so the pair is known from either side).
/// </summary>
public sealed record BigEarthNetMetadata(
    IReadOnlyList<string> Labels,
    DateTimeOffset? AcquiredAt,
    string? PairedId,
    UtmBounds? Bounds)
{
    /// <summary>The EPSG code of <see cref="Bounds"/>: the last AUTHORITY of the projection WKT (e.g. 32633).</summary>
    public int? Epsg { get; init; }

    /// <summary>The S2 product the patch was cut from (<c>tile_source</c>), which names its MGRS tile.</summary>
    public string? TileSource { get; init; }

    public const string FileSuffix = "_labels_metadata.json";

    public static BigEarthNetMetadata Parse(string file, ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new PatchFormatException(file, "metadata is not a JSON object");
            return new BigEarthNetMetadata(
                ReadLabels(file, root),
                ReadDate(file, root),
                Text(root, "corresponding_s2_patch") ?? Text(root, "corresponding_s1_patch"),
                ReadBounds(root))
            {
                Epsg = ReadEpsg(Text(root, "projection")),
                TileSource = Text(root, "tile_source"),
            };
        }
        catch (JsonException e)
        {
            throw new PatchFormatException(file, $"invalid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", e);
        }
        catch (InvalidOperationException e)
        {
            // JsonElement accessors throw this when a field has an unexpected JSON type.
            throw new PatchFormatException(file, "a field has an unexpected JSON type", e);
        }
    }

    private static List<string> ReadLabels(string file, JsonElement root)
    {
        if (!root.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array)
            throw new PatchFormatException(file, "no 'labels' array");
        var names = new List<string>();
        foreach (var label in labels.EnumerateArray())
        {
            var name = label.GetString() ?? "";
            if (!LandCoverClasses.IsName43(name))
                throw new PatchFormatException(file, $"unknown label '{name}' (not one of the 43 CLC classes)");
            if (!names.Contains(name))
                names.Add(name);
        }
        return names;
    }

    private static DateTimeOffset? ReadDate(string file, JsonElement root)
    {
        var text = Text(root, "acquisition_date") ?? Text(root, "acquisition_time");
        if (text is null)
            return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new PatchFormatException(file, $"unreadable acquisition date '{text}'");
    }

    private static UtmBounds? ReadBounds(JsonElement root)
    {
        if (!root.TryGetProperty("coordinates", out var c) || c.ValueKind != JsonValueKind.Object)
            return null;
        double? Get(string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        var lry = Get("lry") ?? Get("lly");
        return Get("ulx") is { } ulx && Get("uly") is { } uly && Get("lrx") is { } lrx && lry is { } y
            ? new UtmBounds(ulx, uly, lrx, y)
            : null;
    }

    private static int? ReadEpsg(string? wkt)
    {
        if (wkt is null) return null;
        int at = wkt.LastIndexOf("AUTHORITY[\"EPSG\",\"", StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = wkt.AsSpan(at + 18);
        int end = rest.IndexOf('"');
        return end > 0 && int.TryParse(rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
