using BitEarth.Core.Patches;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Thumbnails;

/// <summary>
/// Thumbnails in the <see cref="Containers.Thumbnails"/> container, one PNG per patch at the patch's own size, written
/// at ingest so answering a query or showing a result never decodes a raster. Other sizes are resampled from it.
/// </summary>
public static class ThumbnailStore
{
    public const int MinSize = 16;
    public const int MaxSize = 512;

    public static string NameFor(string patchId) => $"{patchId}.png";

    public static async Task WriteAsync(IBlobStore blobs, Patch patch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        using var png = new MemoryStream(PngCodec.Encode(ThumbnailRenderer.Render(patch)), writable: false);
        await blobs.WriteAsync(Containers.Thumbnails, NameFor(patch.Id), png, ct);
    }

    /// <summary>The stored PNG, or resampled so its longer side is <paramref name="size"/>; null when there is none.</summary>
    public static async Task<byte[]?> ReadAsync(IBlobStore blobs, string patchId, int? size, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        if (size is < MinSize or > MaxSize) throw new ArgumentOutOfRangeException(nameof(size), $"size must be in {MinSize}..{MaxSize}");
        await using var stream = await blobs.OpenReadAsync(Containers.Thumbnails, NameFor(patchId), ct);
        if (stream is null) return null;
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var stored = buffer.ToArray();
        return size is { } s ? PngCodec.Encode(PngCodec.Decode(stored).Resize(s)) : stored;
    }
}
