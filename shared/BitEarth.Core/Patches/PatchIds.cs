namespace BitEarth.Core.Patches;

/// <summary>
/// What a patch id may be: a plain name (the BigEarthNet folder or the EuroSAT file name), so it can never name a
/// path: no '/' or '\', no control characters, not "." or "..", at most <see cref="MaxLength"/> characters.
/// </summary>
public static class PatchIds
{
    public const int MaxLength = 256;

    /// <summary>Throws a <see cref="PatchFormatException"/> on <paramref name="source"/> when <paramref name="id"/> is not a plain name.</summary>
    public static void Validate(string source, string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Problem(id) is { } problem)
            throw new PatchFormatException(source, $"patch id '{id}' {problem}");
    }

    private static string? Problem(string id)
    {
        if (id.Length == 0) return "is empty";
        if (id.Length > MaxLength) return $"is longer than {MaxLength} characters";
        if (id is "." or "..") return "is a relative path";
        if (id.IndexOfAny(['/', '\\']) >= 0) return "holds a path separator";
        if (id.Any(char.IsControl)) return "holds a control character";
        return null;
    }
}
