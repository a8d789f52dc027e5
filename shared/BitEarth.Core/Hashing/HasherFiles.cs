using System.Collections.Concurrent;
using System.Text.Json;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Loads any saved hasher by the "kind" field of its JSON parameter file. Built-in kinds are registered here;
/// other assemblies (e.g. an ONNX encoder) add theirs with <see cref="Register"/> at start-up.
/// </summary>
public static class HasherFiles
{
    private static readonly ConcurrentDictionary<string, Func<Stream, IPatchHasher>> Loaders = new(StringComparer.Ordinal)
    {
        [LshHasher.Kind] = LshHasher.Load,
        [KernelLshHasher.Kind] = KernelLshHasher.Load,
        [SupervisedKernelHasher.Kind] = SupervisedKernelHasher.Load,
        [MultiCodeHasher.Kind] = MultiCodeHasher.Load,
    };

    public static IReadOnlyCollection<string> Kinds => Loaders.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Registers (or replaces) the loader of <paramref name="kind"/>; the loader gets the whole file.</summary>
    public static void Register(string kind, Func<Stream, IPatchHasher> load)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(load);
        Loaders[kind] = load;
    }

    public static IPatchHasher Load(Stream source)
    {
        var buffer = new MemoryStream();
        source.CopyTo(buffer);
        var kind = ReadKind(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (!Loaders.TryGetValue(kind, out var load))
            throw new HasherFormatException($"unknown hasher kind '{kind}' (known: {string.Join(", ", Kinds)}).");
        buffer.Position = 0;
        return load(buffer);
    }

    private static string ReadKind(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String)
                return kind.GetString()!;
            throw new HasherFormatException("the file has no string \"kind\" field.");
        }
        catch (JsonException e)
        {
            throw new HasherFormatException($"malformed JSON: {e.Message}", e);
        }
    }
}
