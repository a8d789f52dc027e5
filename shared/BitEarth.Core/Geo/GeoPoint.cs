namespace BitEarth.Core.Geo;

/// <summary>A WGS84 position in degrees, longitude first as GeoJSON orders it.</summary>
public readonly record struct GeoPoint(double Lon, double Lat);
