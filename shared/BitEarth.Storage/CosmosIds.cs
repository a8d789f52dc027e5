namespace BitEarth.Storage;

/// <summary>Cosmos DB item ids may not hold '/', '\', '?' or '#' and are at most 255 characters.</summary>
internal static class CosmosIds
{
    public static void Validate(string id)
    {
        if (string.IsNullOrEmpty(id))
            throw new ArgumentException("Cosmos item id is empty", nameof(id));
        if (id.Length > 255)
            throw new ArgumentException($"Cosmos item id '{id[..40]}...' is longer than 255 characters", nameof(id));
        if (id.IndexOfAny(['/', '\\', '?', '#']) >= 0)
            throw new ArgumentException($"Cosmos item id '{id}' contains one of / \\ ? #", nameof(id));
    }
}
