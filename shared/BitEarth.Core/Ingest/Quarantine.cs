using System.Text;
using System.Text.Json;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Ingest;

/// <summary>
/// Moves a bad blob out of the patches container: copy first, then the reason beside it, then delete, so a crash at
/// any step leaves the blob in at least one place.
/// </summary>
public static class Quarantine
{
    public static string ReasonBlobName(string blob) => blob + ".reason.json";

    public static async Task MoveAsync(IBlobStore blobs, string blob, Func<CancellationToken, Task<Stream?>> openContent,
        string reason, CancellationToken ct)
    {
        await using (var content = await openContent(ct))
        {
            if (content is null) return;
            await blobs.WriteAsync(Containers.Quarantine, blob, content, ct);
        }
        var json = JsonSerializer.Serialize(new { blob, reason, quarantinedAt = DateTimeOffset.UtcNow });
        await blobs.WriteAsync(Containers.Quarantine, ReasonBlobName(blob), new MemoryStream(Encoding.UTF8.GetBytes(json)), ct);
        await blobs.DeleteAsync(Containers.Patches, blob, ct);
    }
}
