using System.Collections.Frozen;
using System.Text.Json;

namespace BitEarth.Core.Hashing;

/// <summary>
/// The hasher file formats a process can load, fixed when it is built: a file goes to the kind its "kind" field
/// names. Hosts build it through DI (<see cref="HasherKindRegistration"/>); code without DI uses <see cref="BuiltIn"/>.
/// </summary>
public sealed class HasherKinds
{
    private readonly FrozenDictionary<string, IHasherKind> _byName;

    public HasherKinds(IEnumerable<IHasherKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var byName = new Dictionary<string, IHasherKind>(StringComparer.Ordinal);
        foreach (var kind in kinds)
            if (!byName.TryAdd(kind.Name, kind))
                throw new ArgumentException($"two hasher kinds are named '{kind.Name}'.", nameof(kinds));
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Names = [.. _byName.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The kinds Core defines: LSH, kernel LSH, supervised kernel hashing, multi-code LSH and multi-code hashing over primitives.</summary>
    public static HasherKinds BuiltIn { get; } =
        new([new LshHasherKind(), new KernelLshHasherKind(), new SupervisedKernelHasherKind(), new MultiCodeHasherKind(), new PrimitiveMultiCodeHasherKind()]);

    public IReadOnlyList<string> Names { get; }

    /// <summary>A registry with these kinds and <paramref name="kind"/>; this one is left as it is.</summary>
    public HasherKinds With(IHasherKind kind) => new([.. _byName.Values, kind]);

    public IPatchHasher Load(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffer = new MemoryStream();
        source.CopyTo(buffer);
        var name = ReadKind(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        if (!_byName.TryGetValue(name, out var kind))
            throw new HasherFormatException($"hasher kind '{name}' is not registered here (registered: {string.Join(", ", Names)}).");
        buffer.Position = 0;
        return kind.Load(buffer);
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
