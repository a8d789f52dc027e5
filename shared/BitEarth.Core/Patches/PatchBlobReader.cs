using System.IO.Compression;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Patches;

/// <summary>
/// Reads an ingest blob into a <see cref="Patch"/>. Two formats, told apart by the blob name's extension:
/// <list type="bullet">
/// <item><c>.zip</c>: the files of one BigEarthNet patch folder (<c>&lt;patch&gt;_B01.tif</c>.. or
/// <c>&lt;patch&gt;_VV.tif</c>/<c>_VH.tif</c>, optional labels JSON or reference map), at the zip root or in one
/// folder; the modality follows from the bands, the id is the patch name.</item>
/// <item><c>.tif</c>/<c>.tiff</c>: a EuroSAT file named like <c>eurosat/Forest/Forest_3.tif</c>; the label is
/// the parent path segment.</item>
/// </list>
/// Every defect, including a blob or zip content over <see cref="MaxBytes"/>, is a <see cref="PatchFormatException"/>.
/// </summary>
public static class PatchBlobReader
{
    /// <summary>
    /// Cap on the blob and on the total uncompressed zip content; a real patch is under 1 MiB. The one size limit of a
    /// patch, wherever one arrives (ingest, re-index, query upload).
    /// </summary>
    public const long MaxBytes = 64L << 20;

    private const int MaxEntries = 64;

    private const int ChunkBytes = 81920;

    public static Patch Read(string blobName, Stream content) => Read(blobName, ReadCapped(blobName, content, MaxBytes));

    /// <summary>
    /// Reads an uploaded query example: the same formats and checks, but a EuroSAT <c>.tif</c> needs no class folder
    /// (a query needs no label, and an HTTP upload carries only the file name).
    /// </summary>
    public static Patch ReadUpload(string fileName, Stream content)
    {
        var bytes = ReadCapped(fileName, content, MaxBytes);
        return IsTiff(fileName) ? EuroSatReader.Read(fileName, bytes, label: null) : Read(fileName, bytes);
    }

    private static bool IsTiff(string name) => Path.GetExtension(name).ToLowerInvariant() is ".tif" or ".tiff";

    /// <summary>
    /// Reads a whole blob into one array, sized up front when the stream knows its length so the content is copied once
    /// (Azure's and the local folder's blob streams do); null when it is longer than <see cref="MaxBytes"/>: unread when
    /// its declared length says so, else after at most that much plus one chunk. Within the cap, the bytes actually
    /// read decide, not the declared length.
    /// </summary>
    public static async Task<byte[]?> ReadBlobAsync(Stream content, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var declared = content.CanSeek ? content.Length - content.Position : 0;
        if (declared > MaxBytes) return null;
        using var buffer = new MemoryStream((int)declared);
        var chunk = new byte[ChunkBytes];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.Capacity == buffer.Length ? buffer.GetBuffer() : buffer.ToArray();
    }

    /// <summary>Parses blob content already in memory (at most <see cref="MaxBytes"/>, as <see cref="ReadBlobAsync"/> returns it).</summary>
    public static Patch Read(string blobName, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length > MaxBytes) throw new PatchFormatException(blobName, $"content exceeds {MaxBytes} bytes");
        var extension = Path.GetExtension(blobName).ToLowerInvariant();
        var patch = extension switch
        {
            ".zip" => ReadZip(blobName, bytes),
            ".tif" or ".tiff" => EuroSatReader.Read(blobName, bytes, ParentSegment(blobName)),
            _ => throw new PatchFormatException(blobName, $"unsupported blob type '{extension}' (expected .zip or .tif)"),
        };
        PatchIds.Validate(blobName, patch.Id);
        return patch;
    }

    private static Patch ReadZip(string blobName, byte[] bytes)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? folder = null;
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxEntries)
                throw new PatchFormatException(blobName, $"{zip.Entries.Count} zip entries, at most {MaxEntries} allowed");
            long budget = MaxBytes;
            foreach (var entry in zip.Entries)
            {
                // Zips written on Windows may separate folders with backslashes; either way a segment must be a plain name.
                var entryName = entry.FullName.Replace('\\', '/');
                if (entryName.EndsWith('/'))
                    continue; // a directory entry
                var parts = entryName.Split('/');
                if (parts.FirstOrDefault(p => p is "" or "." or "..") is { } bad)
                    throw new PatchFormatException($"{blobName}/{entry.FullName}",
                        bad.Length == 0 ? "entry path is absolute or has an empty segment" : $"entry path has a '{bad}' segment");
                if (parts.Length > 2)
                    throw new PatchFormatException($"{blobName}/{entry.FullName}", "nested deeper than one folder");
                var entryFolder = parts.Length == 2 ? parts[0] : "";
                if (folder is not null && folder != entryFolder)
                    throw new PatchFormatException($"{blobName}/{entry.FullName}", "zip holds more than one folder");
                folder = entryFolder;
                if (entry.Length > budget)
                    throw new PatchFormatException(blobName, $"uncompressed content exceeds {MaxBytes} bytes");
                using var stream = entry.Open();
                var data = ReadCapped($"{blobName}/{entry.FullName}", stream, budget);
                budget -= data.Length;
                if (!files.TryAdd(parts[^1], data))
                    throw new PatchFormatException($"{blobName}/{entry.FullName}", "duplicate file name");
            }
        }
        catch (Exception e) when (e is not PatchFormatException)
        {
            // ZipArchive reports damaged central directories and headers with several exception types.
            throw new PatchFormatException(blobName, e is InvalidDataException ? $"corrupt zip ({e.Message})" : "corrupt zip", e);
        }

        Patch patch;
        try
        {
            patch = BigEarthNetReader.Read(files, blobName);
        }
        catch (PatchFormatException e) when (e.File != blobName)
        {
            throw new PatchFormatException($"{blobName}/{e.File}", e.Reason, e);
        }
        if (!string.IsNullOrEmpty(folder) && folder != patch.Id)
            throw new PatchFormatException(blobName, $"folder '{folder}' holds files of patch '{patch.Id}'");
        return patch;
    }

    private static string ParentSegment(string blobName)
    {
        var parts = blobName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2
            ? parts[^2]
            : throw new PatchFormatException(blobName, "a EuroSAT blob needs its class as parent path segment, e.g. eurosat/Forest/Forest_3.tif");
    }

    // Reads at most `limit` bytes; one byte more means the input is over the cap. Never trusts declared lengths.
    private static byte[] ReadCapped(string name, Stream stream, long limit)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[ChunkBytes];
        try
        {
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > limit)
                    throw new PatchFormatException(name, $"content exceeds {MaxBytes} bytes");
                buffer.Write(chunk, 0, read);
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw new PatchFormatException(name, e is InvalidDataException ? $"unreadable content ({e.Message})" : "unreadable content", e);
        }
        return buffer.ToArray();
    }
}
