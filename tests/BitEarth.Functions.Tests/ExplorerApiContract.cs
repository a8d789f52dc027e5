using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BitEarth.Core.Stores;
using BitEarth.Core.Thumbnails;

namespace BitEarth.Functions.Tests;

/// <summary>
/// What the explorer needs from the API, the same on every backend: thumbnails made at ingest with cache headers,
/// footprints and STAC items, exact filters and relevance feedback on both query paths, and the page itself.
/// </summary>
public abstract class ExplorerApiContract(string backend) : IAsyncLifetime
{
    protected LocalHostRunner Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await LocalHostRunner.StartAsync(backend, settings: Settings());

    public async Task DisposeAsync() => await Host.DisposeAsync();

    protected virtual IReadOnlyDictionary<string, string?>? Settings() => null;

    private async Task<string> PatchIdAsync(string modality)
    {
        await foreach (var name in Host.Blobs.ListAsync(Containers.Patches, $"bigearthnet/{modality}/"))
            return Path.GetFileNameWithoutExtension(name);
        throw new InvalidOperationException("no synthetic patch");
    }

    [Fact]
    public async Task Every_ingested_patch_has_a_thumbnail_in_the_thumbnails_container()
    {
        int patches = 0;
        await foreach (var name in Host.Blobs.ListAsync(Containers.Patches))
        {
            patches++;
            var png = await ThumbnailStore.ReadAsync(Host.Blobs, Path.GetFileNameWithoutExtension(name), null);
            Assert.NotNull(png);
            var image = PngCodec.Decode(png);
            Assert.Equal((120, 120), (image.Width, image.Height));
        }
        Assert.Equal(40, patches);
    }

    [Theory]
    [InlineData("S2")]
    [InlineData("S1")]
    public async Task Thumbnail_is_a_png_with_cache_headers_and_revalidates(string modality)
    {
        var id = await PatchIdAsync(modality);
        var response = await Host.Http.GetAsync($"/api/patches/{id}/thumbnail.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromHours(1), response.Headers.CacheControl?.MaxAge);
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        var image = PngCodec.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(120, image.Width);
        Assert.True(image.Pixels.Distinct().Count() > 16, "a real picture has more than a few levels");

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/patches/{id}/thumbnail.png");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Host.Http.SendAsync(again)).StatusCode);

        var small = await Host.Http.GetAsync($"/api/patches/{id}/thumbnail.png?size=32");
        Assert.Equal(32, PngCodec.Decode(await small.Content.ReadAsByteArrayAsync()).Width);
        Assert.NotEqual(etag, small.Headers.ETag);
    }

    [Theory]
    [InlineData("?size=8", HttpStatusCode.BadRequest)]
    [InlineData("?size=big", HttpStatusCode.BadRequest)]
    [InlineData("?size=513", HttpStatusCode.BadRequest)]
    public async Task A_bad_thumbnail_size_is_a_400_with_a_reason(string query, HttpStatusCode expected)
    {
        var (status, body) = await Host.GetJsonAsync($"/api/patches/{await PatchIdAsync("S2")}/thumbnail.png{query}");
        Assert.Equal(expected, status);
        Assert.Contains("size", body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_patches_have_no_thumbnail_and_no_stac_item()
    {
        var (s1, b1) = await Host.GetJsonAsync("/api/patches/no-such/thumbnail.png");
        var (s2, b2) = await Host.GetJsonAsync("/api/patches/no-such/stac");
        Assert.Equal(HttpStatusCode.NotFound, s1);
        Assert.Equal(HttpStatusCode.NotFound, s2);
        Assert.Contains("no-such", b1.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("no-such", b2.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_shows_its_footprint_date_tile_and_pair()
    {
        var id = await PatchIdAsync("S1");
        var (status, patch) = await Host.GetJsonAsync($"/api/patches/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("33UUP", patch.GetProperty("tile").GetString());
        Assert.StartsWith("S2A_MSIL2A_", patch.GetProperty("pairedId").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(JsonValueKind.Null, patch.GetProperty("acquiredAt").ValueKind);
        var ring = patch.GetProperty("footprint").GetProperty("coordinates")[0];
        Assert.Equal(5, ring.GetArrayLength());
        // The synthetic archive sits in UTM 33N around 300-410 km easting, 5.29-5.40 Mm northing: about 12-14 E, 47-49 N.
        foreach (var corner in ring.EnumerateArray())
        {
            Assert.InRange(corner[0].GetDouble(), 12, 14);
            Assert.InRange(corner[1].GetDouble(), 47, 49);
        }
    }

    [Theory]
    [InlineData("S2", "eo:bands")]
    [InlineData("S1", "sar:polarizations")]
    public async Task Stac_item_has_geometry_bbox_datetime_and_assets(string modality, string bandField)
    {
        var id = await PatchIdAsync(modality);
        var response = await Host.Http.GetAsync($"/api/patches/{id}/stac");
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var item = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Feature", item.GetProperty("type").GetString());
        Assert.Equal("1.0.0", item.GetProperty("stac_version").GetString());
        Assert.Equal(id, item.GetProperty("id").GetString());
        Assert.Equal("Polygon", item.GetProperty("geometry").GetProperty("type").GetString());
        var bbox = item.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(4, bbox.Length);
        Assert.True(bbox[0] < bbox[2] && bbox[1] < bbox[3]);
        Assert.True(DateTimeOffset.TryParse(item.GetProperty("properties").GetProperty("datetime").GetString(), out _));
        var assets = item.GetProperty("assets");
        Assert.EndsWith($"/api/patches/{id}/thumbnail.png", assets.GetProperty("thumbnail").GetProperty("href").GetString(), StringComparison.Ordinal);
        Assert.True(assets.GetProperty("data").TryGetProperty(bandField, out _));
        var thumbnail = await Host.Http.GetAsync(new Uri(assets.GetProperty("thumbnail").GetProperty("href").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
    }

    [Theory]
    [InlineData("durable")]
    [InlineData("in-process")]
    public async Task Label_date_and_bbox_filters_keep_only_passing_results_on_both_paths(string path)
    {
        var id = await PatchIdAsync("S2");
        // No target: the query's own modality (the encoder keeps S1 and S2 in separate code spaces), so every other S2 patch.
        var (_, all) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 19, path, details = true });
        var everything = all.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(19, everything.Count);
        var label = everything.SelectMany(r => r.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!))
            .GroupBy(l => l).OrderBy(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var expected = everything.Where(r => r.GetProperty("labels").EnumerateArray().Any(l => l.GetString() == label))
            .Select(r => r.GetProperty("patchId").GetString()).Take(3).ToList();

        var (status, filtered) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 3, path, labels = new[] { label } });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(expected, filtered.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("patchId").GetString()));

        var dates = everything.Select(r => r.GetProperty("acquiredAt").GetDateTimeOffset()).Order().ToList();
        var from = dates[dates.Count / 3];
        var (_, byDate) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, path, from = from.ToString("O"), details = true });
        Assert.All(byDate.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("acquiredAt").GetDateTimeOffset() >= from));

        var box = everything[0].GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var (_, byBox) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 5, path, bbox = box, details = true });
        var inBox = byBox.GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(inBox, r => r.GetProperty("patchId").GetString() == everything[0].GetProperty("patchId").GetString());
        Assert.All(inBox, r =>
        {
            var b = r.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(b[0] <= box[2] && b[2] >= box[0] && b[1] <= box[3] && b[3] >= box[1]);
        });
    }

    [Fact]
    public async Task Feedback_moves_the_ranking_and_leaves_out_irrelevant_patches()
    {
        var id = await PatchIdAsync("S2");
        var (_, before) = await Host.PostJsonAsync("/api/query", new { patchId = id, k = 10, target = "S2" });
        var ranked = Ids(before);
        var (status, after) = await Host.PostJsonAsync("/api/query",
            new { patchId = id, k = 10, target = "S2", relevant = new[] { ranked[^1] }, irrelevant = new[] { ranked[0] } });
        Assert.Equal(HttpStatusCode.OK, status);
        var refined = Ids(after);
        Assert.DoesNotContain(ranked[0], refined);
        // The relevant patch's code outvotes the query's wherever the irrelevant one does not side with the query.
        Assert.True(refined.IndexOf(ranked[^1]) is >= 0 and < 9, $"{ranked[^1]} did not move up: {string.Join(", ", refined)}");
    }

    [Theory]
    [InlineData("""{"patchId": "P", "bbox": [1, 2, 3]}""", "bbox must be")]
    [InlineData("""{"patchId": "P", "bbox": [1, 50, 3, 40]}""", "south")]
    [InlineData("""{"patchId": "P", "bbox": [-200, 0, 3, 4]}""", "longitudes")]
    [InlineData("""{"patchId": "P", "from": "yesterday"}""", "ISO 8601")]
    [InlineData("""{"patchId": "P", "from": "2018-01-01", "to": "2017-01-01"}""", "from must not be after to")]
    [InlineData("""{"patchId": "P", "labels": ["Moon dust"]}""", "unknown label 'Moon dust'")]
    [InlineData("""{"patchId": "P", "relevant": ["a"], "irrelevant": ["a"]}""", "both relevant and irrelevant")]
    public async Task Bad_filters_and_feedback_are_400s_with_reasons(string body, string reason)
    {
        using var content = new StringContent(body.Replace("\"P\"", $"\"{await PatchIdAsync("S2")}\"", StringComparison.Ordinal),
            new MediaTypeHeaderValue("application/json"));
        var response = await Host.Http.PostAsync("/api/query", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_naming_an_unknown_patch_is_a_400()
    {
        var (status, body) = await Host.PostJsonAsync("/api/query", new { patchId = await PatchIdAsync("S2"), relevant = NoSuchPatch });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("relevant patch 'no-such' is not in the archive", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task The_page_and_its_files_are_served_with_etags_and_unknown_paths_are_json_404s()
    {
        var page = await Host.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("BitEarth explorer", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(page.Headers.ETag);
        foreach (var file in new[] { "app.js", "app.css", "vendor/leaflet.js", "vendor/countries-50m.json", "vendor/LICENSES.txt" })
            Assert.Equal(HttpStatusCode.OK, (await Host.Http.GetAsync("/" + file)).StatusCode);
        var (s1, b1) = await Host.GetJsonAsync("/api/no-such-route");
        var (s2, b2) = await Host.GetJsonAsync("/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, s1);
        Assert.Equal(HttpStatusCode.NotFound, s2);
        Assert.Contains("no API route", b1.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("no explorer file", b2.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static readonly string[] NoSuchPatch = ["no-such"];

    private static List<string> Ids(JsonElement answer) =>
        [.. answer.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("patchId").GetString()!)];
}

public sealed class EmbeddedExplorerApiTests() : ExplorerApiContract("embedded");

[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class AzuriteCosmosExplorerApiTests() : ExplorerApiContract("azurite")
{
    protected override IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Cosmos:Database"] = $"expl{Guid.NewGuid():N}"[..16],
        ["Durable:TaskHub"] = $"expl{Guid.NewGuid():N}"[..16],
    };
}
