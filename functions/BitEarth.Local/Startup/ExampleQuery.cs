using System.Net.Http.Json;
using System.Text.Json;
using BitEarth.Core.Stores;

namespace BitEarth.Local.Startup;

/// <summary>Prints a ready-to-paste query for the first archived patch, and the service's answer to it.</summary>
public static class ExampleQuery
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task PrintAsync(string baseUrl, ICodeStore store, IBlobStore blobs, TextWriter output, CancellationToken ct)
    {
        string? patchId = null;
        await foreach (var name in blobs.ListAsync(Containers.Patches, null, ct))
        {
            var id = Path.GetFileNameWithoutExtension(name);
            if (await store.GetPatchAsync(id, ct) is not null) { patchId = id; break; }
        }
        if (patchId is null) { output.WriteLine("No patch was indexed; nothing to query."); return; }

        var body = JsonSerializer.Serialize(new { patchId, k = 5 });
        output.WriteLine($"Explorer (open in a browser): {baseUrl}/?patchId={Uri.EscapeDataString(patchId)}&k=5");
        output.WriteLine("Example query (paste into a shell):");
        output.WriteLine($"  curl -s -X POST {baseUrl}/api/query -H 'Content-Type: application/json' -d '{body}'");
        using var http = new HttpClient();
        var response = await http.PostAsync($"{baseUrl}/api/query", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), ct);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        output.WriteLine($"Answer ({(int)response.StatusCode}):");
        output.WriteLine(JsonSerializer.Serialize(json, Indented));
    }
}
