using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace BitEarth.Core.Hashing;

/// <summary>Shared JSON conventions of hasher parameter files and the parameter fingerprint in their versions.</summary>
internal static class HasherJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
    };

    public static void Write<T>(Stream destination, T model) => JsonSerializer.Serialize(destination, model, Options);

    public static T Read<T>(Stream source) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(source, Options) ?? throw new HasherFormatException("the file is empty (null).");
        }
        catch (JsonException e)
        {
            throw new HasherFormatException($"malformed JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// First 8 hex digits of SHA-256 over the canonical JSON of the parameters: doubles round-trip exactly in JSON,
    /// so a saved and reloaded hasher gets the same fingerprint and any changed parameter a different one.
    /// </summary>
    public static string Fingerprint<T>(T parameters)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(parameters, Options);
        return Convert.ToHexStringLower(SHA256.HashData(json))[..8];
    }

    public static string Version(string kind, int bits, int seed, string fingerprint) => $"{kind}-{bits}-s{seed}-{fingerprint}";

    /// <summary>Checks the stored version against the one the parameters imply, so hand-edited files are caught.</summary>
    public static void CheckVersion(string stored, string expected)
    {
        if (stored != expected)
            throw new HasherFormatException($"version '{stored}' does not match its parameters (expected '{expected}').");
    }

    public static double[][] CheckMatrix(double[][]? matrix, int rows, int columns, string what)
    {
        if (matrix is null || matrix.Length != rows || matrix.Any(r => r is null || r.Length != columns))
            throw new HasherFormatException($"{what} must be a {rows}x{columns} matrix.");
        if (matrix.Any(r => r.Any(v => !double.IsFinite(v))))
            throw new HasherFormatException($"{what} contains a non-finite number.");
        return matrix;
    }

    public static double[] CheckVector(double[]? vector, int length, string what)
    {
        if (vector is null || vector.Length != length)
            throw new HasherFormatException($"{what} must have {length} numbers.");
        if (vector.Any(v => !double.IsFinite(v)))
            throw new HasherFormatException($"{what} contains a non-finite number.");
        return vector;
    }
}
