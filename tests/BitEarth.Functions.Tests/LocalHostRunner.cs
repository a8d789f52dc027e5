using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;
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

    /// <summary>Starts and ingests; <paramref name="encoder"/> is a hasher file or package path, as --encoder takes.</summary>
    public static async Task<LocalHostRunner> StartAsync(string backend, string? archive = null, int synthetic = 20, string? data = null,
        IReadOnlyDictionary<string, string?>? settings = null, string? defaultEncoder = null, int syntheticChanges = 0, string? encoder = null)
    {
        data ??= Directory.CreateTempSubdirectory("bitearth-test-").FullName;
        var options = new LocalHostOptions
        {
            Backend = backend, Archive = archive, Synthetic = synthetic, SyntheticChanges = syntheticChanges, Data = data, Port = 0, Once = true,
            Encoder = encoder,
        };
        if (defaultEncoder is not null) options = options with { DefaultEncoder = defaultEncoder };
        var app = LocalHost.Build(options, b => { if (settings is not null) b.Configuration.AddInMemoryCollection(settings); });
        await app.StartAsync();
        await LocalHost.IngestArchiveAsync(app, CancellationToken.None);
        return new LocalHostRunner(app, new HttpClient { BaseAddress = new Uri(LocalHost.BaseUrl(app)) }, data);
    }

    public Task<int> PollPatchesAsync() =>
        _app.Services.GetRequiredService<Local.Ingest.PatchesWatcher>().PollUntilSettledAsync(CancellationToken.None).ContinueWith(t => t.Result.Count);

    /// <summary>The archived patches whose blob names start with <paramref name="prefix"/>, read back from the patches container.</summary>
    public async Task<List<Patch>> ArchivedPatchesAsync(string prefix)
    {
        var patches = new List<Patch>();
        await foreach (var name in Blobs.ListAsync(Containers.Patches, prefix))
        {
            await using var content = (await Blobs.OpenReadAsync(Containers.Patches, name))!;
            patches.Add(PatchBlobReader.Read(name, content));
        }
        return patches;
    }

    /// <summary>
    /// Deploys a fitted hasher as a user does (its file in the encoders container, then POST /api/reindex naming it)
    /// and waits for the re-index to end; the final status, which a test asserts.
    /// </summary>
    public async Task<string?> DeployAndReindexAsync(IPatchHasher hasher, TimeSpan timeout)
    {
        using (var file = new MemoryStream())
        {
            hasher.Save(file);
            file.Position = 0;
            await Blobs.WriteAsync(Containers.Encoders, $"{hasher.Version}.json", file);
        }
        var (status, started) = await PostJsonAsync("/api/reindex", new { encoder = hasher.Version });
        if (status != HttpStatusCode.Accepted) return $"{(int)status} {started}";
        var statusUrl = new Uri(started.GetProperty("statusUrl").GetString()!).PathAndQuery;
        string? state = null;
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            state = (await GetJsonAsync(statusUrl)).Body.GetProperty("status").GetString();
            if (state is "Completed" or "Failed") break;
        }
        return state;
    }

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
