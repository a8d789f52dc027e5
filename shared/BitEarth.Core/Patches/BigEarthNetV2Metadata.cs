using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace BitEarth.Core.Patches;

/// <summary>
/// BigEarthNet v2 (reBEN)'s <c>metadata.parquet</c> at the archive root: per S2 patch (<c>patch_id</c>) its labels in
/// the 19-class nomenclature (<c>labels</c>, a list of names). The archive's own 19-class labels, which the fold of
/// the reference map's 43 classes only approximates. Where the file has reBEN's <c>s1_name</c> column, the Sentinel-1
/// patch it names carries the same labels (one place, one date; S1 patches have no reference map of their own).
/// Other columns (split, country, ...) are not read.
/// </summary>
public sealed class BigEarthNetV2Metadata
{
    public const string FileName = "metadata.parquet";

    /// <summary>
    /// How a patch's 19-class labels travel inside its ingest zip, beside its band files:
    /// <c>&lt;patch&gt;_labels19.json</c> holding <c>{"labels19": [...]}</c>.
    /// </summary>
    public const string EntrySuffix = "_labels19.json";

    private readonly Dictionary<string, IReadOnlyList<string>> labels19;

    private BigEarthNetV2Metadata(Dictionary<string, IReadOnlyList<string>> labels19) => this.labels19 = labels19;

    public int Count => labels19.Count;

    /// <summary>The patch's 19-class labels, or null when the parquet does not list it.</summary>
    public IReadOnlyList<string>? Labels19Of(string patchId) => labels19.GetValueOrDefault(patchId);

    /// <summary>The metadata of the v2 archive <paramref name="root"/>, or null when it has no <see cref="FileName"/>.</summary>
    /// <exception cref="PatchFormatException">The file is not a parquet with the columns and labels we expect.</exception>
    public static BigEarthNetV2Metadata? ReadRoot(string root)
    {
        var path = Path.Combine(root, FileName);
        return File.Exists(path) ? Read(path) : null;
    }

    /// <exception cref="PatchFormatException">The file is not a parquet with the columns and labels we expect.</exception>
    public static BigEarthNetV2Metadata Read(string path)
    {
        // Parquet.Net reads only asynchronously; the patch readers are synchronous and a local file completes without a
        // synchronisation context to deadlock on.
        return ReadAsync(path).GetAwaiter().GetResult();
    }

    private static async Task<BigEarthNetV2Metadata> ReadAsync(string path)
    {
        IList<Row> rows;
        try
        {
            await using var stream = File.OpenRead(path);
            var schema = await ParquetReader.ReadSchemaAsync(stream);
            RequireColumn(path, schema, nameof(Row.patch_id), SchemaType.Data);
            RequireColumn(path, schema, nameof(Row.labels), SchemaType.List);
            stream.Position = 0;
            rows = schema.Fields.Any(f => f.Name == nameof(RowWithS1.s1_name))
                ? [.. (await ParquetSerializer.DeserializeAsync<RowWithS1>(stream)).Data]
                : (await ParquetSerializer.DeserializeAsync<Row>(stream)).Data;
        }
        catch (Exception e) when (e is not PatchFormatException)
        {
            // Parquet.Net reports a damaged or foreign file with several exception types (IOException among them).
            throw new PatchFormatException(path, $"not a readable parquet ({e.Message})", e);
        }

        var byId = new Dictionary<string, IReadOnlyList<string>>(rows.Count, StringComparer.Ordinal);
        for (int row = 0; row < rows.Count; row++)
        {
            var (id, names) = (rows[row].patch_id, rows[row].labels);
            if (string.IsNullOrEmpty(id))
                throw new PatchFormatException(path, $"row {row}: empty patch_id");
            if (names is null)
                throw new PatchFormatException(path, $"row {row} ({id}): no labels list");
            if (names.FirstOrDefault(n => n is null || !LandCoverClasses.IsName19(n), "") is not "" and var bad)
                throw new PatchFormatException(path, $"row {row} ({id}): label '{bad}' is not one of the 19 class names");
            string[] labels = names.ToArray()!;
            if (!byId.TryAdd(id, labels))
                throw new PatchFormatException(path, $"row {row}: patch_id '{id}' listed twice");
            if (rows[row] is RowWithS1 { s1_name: { Length: > 0 } s1 } && !byId.TryAdd(s1, labels))
                throw new PatchFormatException(path, $"row {row}: s1_name '{s1}' listed twice");
        }
        return new BigEarthNetV2Metadata(byId);
    }

    public static byte[] ToEntry(IReadOnlyList<string> labels19) => JsonSerializer.SerializeToUtf8Bytes(new Entry(labels19.ToList<string?>()));

    /// <exception cref="PatchFormatException">Not <c>{"labels19": [...]}</c> with 19-class names.</exception>
    public static IReadOnlyList<string> ParseEntry(string file, byte[] json)
    {
        Entry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<Entry>(json);
        }
        catch (JsonException e)
        {
            throw new PatchFormatException(file, $"not JSON ({e.Message})", e);
        }
        if (entry?.labels19 is not { } labels)
            throw new PatchFormatException(file, "expected {\"labels19\": [...]}");
        if (labels.FirstOrDefault(n => n is null || !LandCoverClasses.IsName19(n), "") is not "" and var bad)
            throw new PatchFormatException(file, $"label '{bad}' is not one of the 19 class names");
        return labels.ToArray()!;
    }

    private static void RequireColumn(string path, ParquetSchema schema, string name, SchemaType type)
    {
        var field = schema.Fields.FirstOrDefault(f => f.Name == name);
        if (field is null)
            throw new PatchFormatException(path, $"no '{name}' column (columns: {string.Join(", ", schema.Fields.Select(f => f.Name))})");
        if (field.SchemaType != type)
            throw new PatchFormatException(path, $"column '{name}' is a {field.SchemaType}, expected a {type}");
    }

#pragma warning disable IDE1006, CA1707 // named as the JSON property
    private sealed record Entry(List<string?>? labels19);
#pragma warning restore IDE1006, CA1707

    // Property names are the parquet column names, which the serializer matches.
#pragma warning disable IDE1006, CA1707 // named as the parquet columns
    private class Row
    {
        public string? patch_id { get; set; }
        public List<string?>? labels { get; set; }
    }

    private sealed class RowWithS1 : Row
    {
        public string? s1_name { get; set; }
    }
#pragma warning restore IDE1006, CA1707
}
