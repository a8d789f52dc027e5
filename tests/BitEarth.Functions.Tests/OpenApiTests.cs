using System.Net;
using System.Text.Json;

namespace BitEarth.Functions.Tests;

/// <summary>
/// GET /api/openapi.json against the real app: its paths and methods are exactly the HTTP triggers in the Function
/// App's functions.metadata, every 4xx/5xx it names has the one error shape, and real error answers have that shape.
/// </summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private static readonly string MetadataPath = Path.Combine(RepoPaths.Root, "functions", "BitEarth.Functions", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug",
        "net10.0", "functions.metadata");

    private LocalHostRunner _host = null!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _host = await LocalHostRunner.StartAsync("embedded", synthetic: 4);
        var (status, document) = await _host.GetJsonAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, status);
        _document = document;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void Paths_and_methods_are_exactly_the_apps_http_routes()
    {
        var routes = JsonDocument.Parse(File.ReadAllText(MetadataPath)).RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == "httpTrigger")
            .SelectMany(b => b.GetProperty("methods").EnumerateArray().Select(m =>
                $"{m.GetString()!.ToUpperInvariant()} /{(b.GetProperty("route").GetString() == "{*asset}" ? "" : b.GetProperty("route").GetString())}"))
            .Order(StringComparer.Ordinal).ToList();
        var documented = _document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(routes, documented);
        Assert.Equal("3.0.3", _document.GetProperty("openapi").GetString());
    }

    [Fact]
    public void Every_error_response_is_the_error_object()
    {
        foreach (var path in _document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
                    Assert.Equal("#/components/schemas/Error",
                        response.Value.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var error = _document.GetProperty("components").GetProperty("schemas").GetProperty("Error");
        Assert.Equal(["error"], error.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("GET", "/api/patches/no-such", 404)]
    [InlineData("GET", "/api/patches/no-such/stac", 404)]
    [InlineData("GET", "/api/patches/no-such/thumbnail.png", 404)]
    [InlineData("GET", "/api/patches/x/thumbnail.png?size=1", 400)]
    [InlineData("POST", "/api/query", 400)]
    [InlineData("GET", "/api/nothing-here", 404)]
    public async Task Real_errors_have_the_documented_shape_and_status(string method, string path, int status)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST") request.Content = new StringContent("{\"k\": 5}", System.Text.Encoding.UTF8, "application/json");
        var response = await _host.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["error"], body.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error").GetString()));
        var operation = _document.GetProperty("paths").EnumerateObject()
            .FirstOrDefault(p => Matches(p.Name, path.Split('?')[0])).Value;
        if (operation.ValueKind == JsonValueKind.Object)
            Assert.True(operation.GetProperty(method.ToLowerInvariant()).GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out _),
                $"{method} {path}: {status} is not documented");
    }

    // "/api/patches/{id}/stac" matches "/api/patches/no-such/stac": segment by segment, {x} matching any one segment.
    private static bool Matches(string template, string path)
    {
        var t = template.Split('/');
        var p = path.Split('/');
        return t.Length == p.Length && t.Zip(p).All(s => s.First.StartsWith('{') || s.First == s.Second);
    }
}
