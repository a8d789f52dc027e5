namespace BitEarth.Core.Stores;

/// <summary>
/// The names every blob store accepts: Azure's container rule (3-63 of a-z, 0-9 and single inner hyphens) and blob
/// names of '/'-separated non-empty segments other than "." and "..", so a folder store cannot be walked out of.
/// </summary>
public static class BlobNames
{
    public static void Validate(string container, string name)
    {
        ValidateContainer(container);
        if (string.IsNullOrEmpty(name))
            throw new BlobNameException(container, name, "blob name is empty");
        if (name.Length > 1024)
            throw new BlobNameException(container, name, "blob name is longer than 1024 characters");
        foreach (var segment in name.Split('/'))
        {
            if (segment.Length == 0)
                throw new BlobNameException(container, name, "blob name has an empty path segment");
            if (segment is "." or "..")
                throw new BlobNameException(container, name, $"blob name has a '{segment}' path segment");
        }
        if (name.IndexOfAny(['\\', '\0']) >= 0)
            throw new BlobNameException(container, name, "blob name contains a backslash or NUL");
    }

    public static void ValidateContainer(string container)
    {
        if (container is null || container.Length is < 3 or > 63)
            throw new BlobNameException(container ?? "", "", "container name must be 3 to 63 characters");
        foreach (var c in container)
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                throw new BlobNameException(container, "", "container name may only hold a-z, 0-9 and '-'");
        if (container[0] == '-' || container[^1] == '-' || container.Contains("--", StringComparison.Ordinal))
            throw new BlobNameException(container, "", "container name hyphens must be single and inside");
    }
}
