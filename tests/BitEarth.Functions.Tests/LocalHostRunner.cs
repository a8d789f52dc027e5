using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BitEarth.Core.Stores;
using BitEarth.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BitEarth.Functions.Tests;

/// <summary>A running local host (the Function App's classes on a real Durable Task engine) and an HTTP client to it.</summary>
public sealed class LocalHostRunner : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHostRunner(WebApplication app, HttpClient http, string data)
    {
        _app = app;
        Http = http;
        Data = data;
    }

    public HttpClient Http { get; }

    public string Data { get; }

    public IBlobStore Blobs => _app.Services.GetRequiredService<IBlobStore>();

    public ICodeStore Store => _app.Services.GetRequiredService<ICodeStore>();

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<LocalHostRunner> StartAsync(string backend, string? archive = null, int synthetic = 20, string? data = null,
        IReadOnlyDictionary<string, string?>? settings = null, string? defaultEncoder = null, int syntheticChanges = 0)
    {
        data ??= Directory.CreateTempSubdirectory("bitearth-test-").FullName;
        var options = new LocalHostOptions
        {
            Backend = backend, Archive = archive, Synthetic = synthetic, SyntheticChanges = syntheticChanges, Data = data, Port = 0, Once = true,
        };
        if (defaultEncoder is not null) options = options with { DefaultEncoder = defaultEncoder };
        var app = LocalHost.Build(options, b => { if (settings is not null) b.Configuration.AddInMemoryCollection(settings); });
        await app.StartAsync();
        await LocalHost.IngestArchiveAsync(app, CancellationToken.None);
        return new LocalHostRunner(app, new HttpClient { BaseAddress = new Uri(LocalHost.BaseUrl(app)) }, data);
    }

    public Task<int> PollPatchesAsync() =>
        _app.Services.GetRequiredService<Local.Ingest.PatchesWatcher>().PollUntilSettledAsync(CancellationToken.None).ContinueWith(t => t.Result.Count);

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(string path, object body)
    {
        var response = await Http.PostAsJsonAsync(path, body);
        return (response.StatusCode, await JsonBodyAsync(response));
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return (response.StatusCode, await JsonBodyAsync(response));
    }

    private static async Task<JsonElement> JsonBodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try { return JsonDocument.Parse(text).RootElement; }
        catch (JsonException) { throw new InvalidOperationException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: not JSON: '{text}'"); }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
