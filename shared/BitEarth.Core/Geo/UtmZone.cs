namespace BitEarth.Core.Geo;

/// <summary>
/// One WGS84 UTM zone (EPSG 32601-32660 north, 32701-32760 south) and the transverse Mercator projection between its
/// metres and geographic degrees, by Krüger's series in the third flattening n to third order (as in Karney, "Transverse
/// Mercator with an accuracy of a few nanometers", J. Geodesy 2011, eqs. 35-36): well under a millimetre inside a
/// zone, far below a 10 m pixel.
/// </summary>
public readonly record struct UtmZone(int Zone, bool North)
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257223563;
    private const double K0 = 0.9996;
    private const double FalseEasting = 500_000;
    private const double FalseNorthingSouth = 10_000_000;

    private static readonly double N = F / (2 - F);
    private static readonly double RectifyingRadius = A / (1 + N) * (1 + N * N / 4 + Math.Pow(N, 4) / 64);
    private static readonly double[] Alpha = [N / 2 - 2 * N * N / 3 + 5 * N * N * N / 16, 13 * N * N / 48 - 3 * N * N * N / 5, 61 * N * N * N / 240];
    private static readonly double[] Beta = [N / 2 - 2 * N * N / 3 + 37 * N * N * N / 96, N * N / 48 + N * N * N / 15, 17 * N * N * N / 480];
    private static readonly double[] Delta = [2 * N - 2 * N * N / 3 - 2 * N * N * N, 7 * N * N / 3 - 8 * N * N * N / 5, 56 * N * N * N / 15];

    public int Epsg => (North ? 32600 : 32700) + Zone;

    private double CentralMeridian => (Zone - 1) * 6 - 180 + 3;

    public static UtmZone? FromEpsg(int epsg) => epsg switch
    {
        >= 32601 and <= 32660 => new UtmZone(epsg - 32600, true),
        >= 32701 and <= 32760 => new UtmZone(epsg - 32700, false),
        _ => null,
    };

    /// <summary>Easting and northing in metres to longitude and latitude in degrees.</summary>
    public GeoPoint ToGeographic(double easting, double northing)
    {
        double xi = (northing - (North ? 0 : FalseNorthingSouth)) / (K0 * RectifyingRadius);
        double eta = (easting - FalseEasting) / (K0 * RectifyingRadius);
        double xiPrime = xi, etaPrime = eta;
        for (int j = 1; j <= 3; j++)
        {
            xiPrime -= Beta[j - 1] * Math.Sin(2 * j * xi) * Math.Cosh(2 * j * eta);
            etaPrime -= Beta[j - 1] * Math.Cos(2 * j * xi) * Math.Sinh(2 * j * eta);
        }
        double chi = Math.Asin(Math.Sin(xiPrime) / Math.Cosh(etaPrime));
        double phi = chi;
        for (int j = 1; j <= 3; j++) phi += Delta[j - 1] * Math.Sin(2 * j * chi);
        double lambda = CentralMeridian * Math.PI / 180 + Math.Atan2(Math.Sinh(etaPrime), Math.Cos(xiPrime));
        double lon = lambda * 180 / Math.PI;
        // Zones 1 and 60 reach past the antimeridian; longitudes stay in -180..180.
        if (lon < -180) lon += 360;
        else if (lon > 180) lon -= 360;
        return new GeoPoint(lon, phi * 180 / Math.PI);
    }

    /// <summary>Longitude and latitude in degrees to easting and northing in metres (the inverse of <see cref="ToGeographic"/>).</summary>
    public (double Easting, double Northing) FromGeographic(GeoPoint point)
    {
        double phi = point.Lat * Math.PI / 180, dLambda = (point.Lon - CentralMeridian) * Math.PI / 180;
        double c = 2 * Math.Sqrt(N) / (1 + N);
        double t = Math.Sinh(Math.Atanh(Math.Sin(phi)) - c * Math.Atanh(c * Math.Sin(phi)));
        double xiPrime = Math.Atan2(t, Math.Cos(dLambda));
        double etaPrime = Math.Atanh(Math.Sin(dLambda) / Math.Sqrt(1 + t * t));
        double xi = xiPrime, eta = etaPrime;
        for (int j = 1; j <= 3; j++)
        {
            xi += Alpha[j - 1] * Math.Sin(2 * j * xiPrime) * Math.Cosh(2 * j * etaPrime);
            eta += Alpha[j - 1] * Math.Cos(2 * j * xiPrime) * Math.Sinh(2 * j * etaPrime);
        }
        return (FalseEasting + K0 * RectifyingRadius * eta, (North ? 0 : FalseNorthingSouth) + K0 * RectifyingRadius * xi);
    }
}
