using System.Globalization;
using BitEarth.Core.Geo;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;

namespace BitEarth.Functions.Query;

/// <summary>
/// Reads the optional query fields: <c>bbox</c> [west, south, east, north] in WGS84 degrees, <c>from</c>/<c>to</c> ISO 8601
/// times (a date alone means the whole day: <c>to</c> "2017-06-13" includes that day), <c>labels</c> (any of; names as the
/// archive stores them), <c>relevant</c>/<c>irrelevant</c> patch ids, and <c>details</c> (results with date, tile and
/// footprint). Irrelevant patches are also left out of the answer.
/// </summary>
public static class QueryRefinementsParser
{
    public const int MaxFeedback = 1000;
    public const int MaxLabels = 64;

    public static (QueryRefinements? Refinements, string? Error) Parse(IReadOnlyList<double>? bbox, string? from, string? to,
        IReadOnlyList<string>? labels, IReadOnlyList<string>? relevant, IReadOnlyList<string>? irrelevant, bool details)
    {
        GeoBox? box = null;
        if (bbox is not null)
        {
            if (bbox.Count != 4) return (null, "bbox must be [west, south, east, north] in degrees");
            box = new GeoBox(bbox[0], bbox[1], bbox[2], bbox[3]);
            if (box.Value.Problem() is { } problem) return (null, problem);
        }
        var (fromTime, fromError) = Time("from", from, endOfDay: false);
        if (fromError is not null) return (null, fromError);
        var (toTime, toError) = Time("to", to, endOfDay: true);
        if (toError is not null) return (null, toError);
        if (fromTime > toTime) return (null, "from must not be after to");

        var labelList = (labels ?? []).Where(l => !string.IsNullOrWhiteSpace(l)).Distinct(StringComparer.Ordinal).ToList();
        if (labelList.Count > MaxLabels) return (null, $"at most {MaxLabels} labels");
        if (labelList.FirstOrDefault(l => !LandCoverClasses.IsName43(l) && !LandCoverClasses.EuroSat.Contains(l)) is { } unknown)
            return (null, $"unknown label '{unknown}' (not a CORINE class name nor a EuroSAT class)");

        var relevantIds = Ids(relevant);
        var irrelevantIds = Ids(irrelevant);
        if (relevantIds.Count + irrelevantIds.Count > MaxFeedback) return (null, $"at most {MaxFeedback} relevant and irrelevant ids together");
        if (relevantIds.Intersect(irrelevantIds, StringComparer.Ordinal).FirstOrDefault() is { } both)
            return (null, $"patch '{both}' is marked both relevant and irrelevant");

        var filter = new QueryFilter(box, fromTime, toTime, labelList.Count > 0 ? labelList : null,
            irrelevantIds.Count > 0 ? irrelevantIds.ToHashSet(StringComparer.Ordinal) : null);
        return (new QueryRefinements(filter, relevantIds, irrelevantIds, details), null);
    }

    private static List<string> Ids(IReadOnlyList<string>? ids) =>
        (ids ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();

    private static (DateTimeOffset? Time, string? Error) Time(string field, string? text, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(text)) return (null, null);
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
            return (new DateTimeOffset(endOfDay ? day.AddDays(1).AddTicks(-1) : day, TimeSpan.Zero), null);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? (time, null)
            : (null, $"{field} must be an ISO 8601 date or time, e.g. 2017-06-13 or 2017-06-13T10:10:31Z");
    }
}
