namespace BitEarth.Core.Geo;

/// <summary>
/// A WGS84 bounding box in degrees, [west, south, east, north] as GeoJSON and STAC write it. A box whose west is
/// greater than its east crosses the antimeridian.
/// </summary>
public readonly record struct GeoBox(double West, double South, double East, double North)
{
    /// <summary>Checks the ranges (longitudes -180..180, latitudes -90..90, south not above north); null when valid.</summary>
    public string? Problem() =>
        !double.IsFinite(West) || !double.IsFinite(South) || !double.IsFinite(East) || !double.IsFinite(North) ? "bbox values must be finite numbers"
        : West is < -180 or > 180 || East is < -180 or > 180 ? "bbox longitudes must be in -180..180"
        : South is < -90 or > 90 || North is < -90 or > 90 ? "bbox latitudes must be in -90..90"
        : South > North ? "bbox south must not be above north"
        : null;

    public static GeoBox Around(IEnumerable<GeoPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        double west = double.PositiveInfinity, south = double.PositiveInfinity, east = double.NegativeInfinity, north = double.NegativeInfinity;
        foreach (var p in points)
        {
            west = Math.Min(west, p.Lon);
            east = Math.Max(east, p.Lon);
            south = Math.Min(south, p.Lat);
            north = Math.Max(north, p.Lat);
        }
        if (double.IsInfinity(west)) throw new ArgumentException("no points", nameof(points));
        return new GeoBox(west, south, east, north);
    }

    /// <summary>Whether the two boxes share any point (touching edges count); either may cross the antimeridian.</summary>
    public bool Intersects(GeoBox other)
    {
        if (South > other.North || other.South > North) return false;
        return LongitudeRanges().Any(a => other.LongitudeRanges().Any(b => a.West <= b.East && b.West <= a.East));
    }

    private IEnumerable<(double West, double East)> LongitudeRanges()
    {
        if (West <= East) { yield return (West, East); yield break; }
        yield return (West, 180);
        yield return (-180, East);
    }

    public double[] ToArray() => [West, South, East, North];
}
