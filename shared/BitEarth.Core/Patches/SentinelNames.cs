using System.Globalization;
using System.Text.RegularExpressions;

namespace BitEarth.Core.Patches;

/// <summary>
/// What Sentinel product and BigEarthNet patch names say about a patch: its MGRS tile ("_T33UUP_" in S2 product names,
/// "_33UUP_" in BigEarthNet S1 patch names) and its acquisition start ("20170613T101031", where BigEarthNet v1 sometimes
/// drops the hour's leading zero: "20170924T93020").
/// </summary>
public static partial class SentinelNames
{
    public static string? Tile(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = TilePattern().Match(name);
        return match.Success ? match.Groups[1].Value : null;
    }

    public static DateTimeOffset? AcquiredAt(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = StartPattern().Match(name);
        if (!match.Success) return null;
        var text = match.Groups[1].Value + "T" + match.Groups[2].Value.PadLeft(6, '0');
        return DateTimeOffset.TryParseExact(text, "yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;
    }

    [GeneratedRegex(@"(?<=_)T?(\d{2}[C-X][A-Z]{2})(?=_|\.|$)")]
    private static partial Regex TilePattern();

    [GeneratedRegex(@"(?<=_)(\d{8})T(\d{5,6})(?=_)")]
    private static partial Regex StartPattern();
}
