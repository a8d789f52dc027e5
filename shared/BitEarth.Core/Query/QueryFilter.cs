using BitEarth.Core.Geo;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Query;

/// <summary>
/// Which results a query keeps, beside the modality its target names: a footprint that intersects <see cref="Bbox"/>,
/// an acquisition time in [<see cref="From"/>, <see cref="To"/>], any of <see cref="Labels"/>, and none of
/// <see cref="Excluded"/> (patches the user marked irrelevant). A patch that lacks what a condition asks about (no
/// footprint, no date) does not pass it.
/// </summary>
public sealed record QueryFilter(GeoBox? Bbox = null, DateTimeOffset? From = null, DateTimeOffset? To = null,
    IReadOnlyList<string>? Labels = null, IReadOnlyCollection<string>? Excluded = null)
{
    public static readonly QueryFilter None = new();

    public bool IsEmpty => Bbox is null && From is null && To is null && Labels is not { Count: > 0 } && Excluded is not { Count: > 0 };

    /// <summary>Whether <see cref="Matches"/> needs the patch's record (footprint or date), not only the result itself.</summary>
    public bool NeedsPatchRecord => Bbox is not null || From is not null || To is not null;

    public bool Matches(QueryResult result, PatchRecord? patch)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Excluded is { Count: > 0 } && Excluded.Contains(result.PatchId)) return false;
        if (Labels is { Count: > 0 } && !result.Labels.Any(Labels.Contains)) return false;
        if (Bbox is { } box && (patch?.Footprint is not { } footprint || !box.Intersects(footprint.Bounds))) return false;
        if ((From is not null || To is not null) && patch?.AcquiredAt is not { } acquired) return false;
        if (From is { } from && patch!.AcquiredAt < from) return false;
        if (To is { } to && patch!.AcquiredAt > to) return false;
        return true;
    }
}
