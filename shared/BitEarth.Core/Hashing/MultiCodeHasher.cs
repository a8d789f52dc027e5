using System.Text.Json;
using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Multi-code hashing over sub-regions: the whole patch plus each tile of a grid x grid split is hashed by one LSH
/// hasher, so a patch whose land cover is mixed gets a code for each part. <see cref="Hash"/> is the whole-patch code
/// (always first in <see cref="HashMany"/>). Files: {kind, version, grid, inner: the LSH file}.
/// </summary>
public sealed class MultiCodeHasher : IMultiCodeHasher
{
    public const string Kind = "multi-lsh";

    private readonly LshHasher _inner;

    public MultiCodeHasher(LshHasher inner, int grid = 2)
    {
        if (grid < 1 || grid > 8) throw new ArgumentOutOfRangeException(nameof(grid), grid, "Grid must be 1..8 tiles per side.");
        _inner = inner;
        Grid = grid;
        Version = $"multi{grid}x{grid}-{inner.Version}";
    }

    public string Version { get; }

    public int Bits => _inner.Bits;

    public int Grid { get; }

    public IReadOnlySet<Modality> Modalities => _inner.Modalities;

    public HammingCode Hash(Patch patch) => _inner.Hash(patch);

    public IReadOnlyList<HammingCode> HashMany(Patch patch)
    {
        if (patch.Width < Grid || patch.Height < Grid)
            throw new ArgumentException($"Patch {patch.Id} ({patch.Width}x{patch.Height}) is smaller than a {Grid}x{Grid} grid.", nameof(patch));
        // The whole-patch hash validates bands and pixel count before tiles slice the pixels.
        var codes = new List<HammingCode>(1 + Grid * Grid) { _inner.Hash(patch) };
        if (Grid == 1) return codes;
        for (int ty = 0; ty < Grid; ty++)
            for (int tx = 0; tx < Grid; tx++)
                codes.Add(_inner.Hash(Tile(patch, tx, ty)));
        return codes;
    }

    public void Save(Stream destination)
    {
        var inner = new MemoryStream();
        _inner.Save(inner);
        using var innerJson = JsonDocument.Parse(inner.ToArray());
        HasherJson.Write(destination, new MultiCodeFile(Kind, Version, Grid, innerJson.RootElement));
    }

    public static MultiCodeHasher Load(Stream source)
    {
        var file = HasherJson.Read<MultiCodeFile>(source);
        if (file.Kind != Kind) throw new HasherFormatException($"kind '{file.Kind}' is not '{Kind}'.");
        if (file.Inner.ValueKind != JsonValueKind.Object) throw new HasherFormatException("the inner LSH hasher is missing.");
        if (file.Grid is < 1 or > 8) throw new HasherFormatException($"grid {file.Grid} is outside 1..8.");
        var inner = LshHasher.Load(new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(file.Inner)));
        var hasher = new MultiCodeHasher(inner, file.Grid);
        HasherJson.CheckVersion(file.Version, hasher.Version);
        return hasher;
    }

    /// <summary>Tile (tx, ty) of the grid, edges at floor(i * size / grid) so uneven sizes split into near-equal tiles.</summary>
    private Patch Tile(Patch patch, int tx, int ty)
    {
        int x0 = tx * patch.Width / Grid, x1 = (tx + 1) * patch.Width / Grid;
        int y0 = ty * patch.Height / Grid, y1 = (ty + 1) * patch.Height / Grid;
        int w = x1 - x0, h = y1 - y0;
        var pixels = new float[patch.BandCount * w * h];
        for (int b = 0; b < patch.BandCount; b++)
        {
            var band = patch.Band(b);
            for (int y = 0; y < h; y++)
                band.Slice((y0 + y) * patch.Width + x0, w).CopyTo(pixels.AsSpan(b * w * h + y * w, w));
        }
        return patch with { Id = $"{patch.Id}#{tx},{ty}", Width = w, Height = h, Pixels = pixels };
    }

    private sealed record MultiCodeFile(string Kind, string Version, int Grid, JsonElement Inner);
}
