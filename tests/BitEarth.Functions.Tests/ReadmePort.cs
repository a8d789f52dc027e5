namespace BitEarth.Functions.Tests;

/// <summary>
/// README's commands serve on the local host's default port 7071 and use the repository's own encoders/ and .bitearth
/// folders, as a reader's do: the tests that run them as written run one at a time, beside the other collections.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ReadmePort
{
    public const string Name = "README port 7071";
}
