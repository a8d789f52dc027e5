using System.Net;
using BitEarth.Local.Startup;

namespace BitEarth.Functions.Tests;

/// <summary>What the first README command prints: the explorer's address beside the example query, and both work.</summary>
public sealed class ExampleQueryTests : IAsyncLifetime
{
    private LocalHostRunner _host = null!;

    public async Task InitializeAsync() => _host = await LocalHostRunner.StartAsync("embedded", synthetic: 3);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Prints_the_explorer_address_with_the_example_patch_beside_the_query()
    {
        var baseUrl = _host.Http.BaseAddress!.ToString().TrimEnd('/');
        using var output = new StringWriter();
        await ExampleQuery.PrintAsync(baseUrl, _host.Store, _host.Blobs, output, CancellationToken.None);
        var lines = output.ToString().Split('\n');
        var explorer = Array.FindIndex(lines, l => l.StartsWith($"Explorer (open in a browser): {baseUrl}/?patchId=", StringComparison.Ordinal));
        var example = Array.FindIndex(lines, l => l.StartsWith("Example query", StringComparison.Ordinal));
        Assert.True(explorer >= 0 && example == explorer + 1, output.ToString());

        var url = lines[explorer][(lines[explorer].IndexOf("http", StringComparison.Ordinal))..].Trim();
        var patchId = Uri.UnescapeDataString(url.Split("patchId=")[1].Split('&')[0]);
        Assert.Contains($"\"patchId\":\"{patchId}\"", lines[example + 1], StringComparison.Ordinal);
        var page = await _host.Http.GetAsync(new Uri(url).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }
}
