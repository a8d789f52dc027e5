using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BitEarth.Functions.Tests.Http;

/// <summary>
/// README's upload, as curl sends it (`-F patch=@Forest_3.tif`: the file name without its class folder): a query needs
/// no label, and a truncated upload is told what is wrong with its pixels.
/// </summary>
public sealed class UploadTests(EdgeHost fixture) : IClassFixture<EdgeHost>
{
    private static readonly string Forest3 = Path.Combine(RepoPaths.SharedData, "eurosat-ms", "Forest", "Forest_3.tif");

    [Fact]
    public async Task A_eurosat_tif_uploaded_by_its_file_name_alone_is_queried()
    {
        var (status, body) = await UploadAsync(await File.ReadAllBytesAsync(Forest3), "Forest_3.tif", k: "5");
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(5, body.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task A_truncated_upload_gets_the_tiff_reason()
    {
        var bytes = await File.ReadAllBytesAsync(Forest3);
        var (status, body) = await UploadAsync(bytes[..(bytes.Length / 2)], "Forest_3.tif", k: null);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("error").GetString()!;
        Assert.StartsWith("Forest_3.tif: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("label", error, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("class", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_non_numeric_k_in_a_form_is_named()
    {
        var (status, body) = await UploadAsync(await File.ReadAllBytesAsync(Forest3), "Forest_3.tif", k: "ten");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("'k' must be a whole number", body.GetProperty("error").GetString());
    }

    private async Task<(HttpStatusCode, JsonElement)> UploadAsync(byte[] tif, string fileName, string? k)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(tif) { Headers = { ContentType = new MediaTypeHeaderValue("image/tiff") } }, "patch", fileName);
        if (k is not null) form.Add(new StringContent(k), "k");
        var response = await fixture.Host.Http.PostAsync("/api/query", form);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }
}
