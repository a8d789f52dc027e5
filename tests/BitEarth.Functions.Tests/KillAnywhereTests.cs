using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BitEarth.Local;
using BitEarth.Local.Startup;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// Nothing lost, whatever the moment of death: the local host process is SIGKILLed at seeded random points (time
/// offsets into start-up, into a re-index, and exact steps of seeding and ingest through <see cref="KillSwitch"/>) and
/// restarted on the same data each time; at the end every patch is indexed exactly once, every re-index started has
/// finished with every patch counted once, and the active encoder is the last one activated.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class KillAnywhereTests(ITestOutputHelper output)
{
    private const int Kills = 10; // per backend: 20 in all

    // 1: an exact ingest step; 2: a time into start-up; 3: a time into a re-index run.
    private static readonly int[] Mix = [2, 2, 1, 1, 1, 3, 3, 3, 3];

    [Fact]
    public Task Embedded_backend_loses_nothing_at_ten_random_kills() =>
        RunAsync("embedded", seed: 20261202, expected: 30, environment: new Dictionary<string, string>());

    [Fact]
    public Task Azurite_backend_loses_nothing_at_ten_random_kills() =>
        RunAsync("azurite", seed: 20261203, expected: 40, environment: new Dictionary<string, string>
        {
            // The patches container is the Azurite account's, shared with the other Azurite tests (their 40 synthetic
            // patches); codes and the task hub are this test's own.
            ["Cosmos__Database"] = $"kill{Guid.NewGuid():N}"[..16],
            ["Durable__TaskHub"] = $"kill{Guid.NewGuid():N}"[..16],
        });

    private async Task RunAsync(string backend, int seed, int expected, Dictionary<string, string> environment)
    {
        var data = Directory.CreateTempSubdirectory("bitearth-kill-").FullName;
        string[] arguments = backend == "embedded"
            ? ["--backend", "embedded", "--archive", EuroSatSubset(data, perClass: 3)]
            : ["--backend", "azurite", "--synthetic", "20"];
        var random = new Random(seed);
        var runs = new List<(string StatusPath, string Encoder)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // Ten kills per backend in a seeded order: three in start-up (the embedded backend's first one an exact seeding
        // step), three exact ingest steps, four into re-index runs. The Azurite account's patches container is seeded by
        // whichever Azurite test ran first, so there the seeding point is a time into start-up instead.
        int[] points = [.. Mix.OrderBy(_ => random.Next())];
        points = [backend == "embedded" ? 0 : 2, .. points];
        for (int kill = 0; kill < Kills; kill++)
        {
            var point = points[kill];
            if (point == 0 && Seeded(data)) point = 1;
            string what;
            if (point is 0 or 1)
            {
                // An exact step: the n-th blob seeded or ingested (every start's first pass ingests every blob).
                var step = $"{(point == 0 ? "seed" : "ingest")}:{random.Next(1, expected)}";
                await using var host = LocalHostProcess.Launch(data, With(environment, KillSwitch.Variable, step), arguments);
                Assert.Equal(137, await host.WaitForExitAsync(TimeSpan.FromMinutes(1)));
                what = $"at {step}";
            }
            else if (point == 2)
            {
                var delay = random.Next(0, 2000);
                await using var host = LocalHostProcess.Launch(data, environment, arguments);
                await host.WaitListeningAsync(TimeSpan.FromMinutes(1));
                await Task.Delay(delay);
                what = $"{delay} ms into start-up";
            }
            else
            {
                var delay = random.Next(0, 4000);
                await using var host = await LocalHostProcess.StartAsync(data, environment, TimeSpan.FromMinutes(2), arguments);
                what = $"{delay} ms into a re-index ";
                if (runs.Count == 0 || await IsCompletedAsync(host, runs[^1].StatusPath))
                {
                    var response = await host.Http.PostAsJsonAsync("/api/reindex", new { bits = 64 + 8 * runs.Count, seed = kill, batchSize = 2, pageSize = 6 });
                    Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                    var started = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    runs.Add((new Uri(started.GetProperty("statusUrl").GetString()!).PathAndQuery, started.GetProperty("encoder").GetString()!));
                    what += "just started";
                }
                else
                    what += "already running";
                await Task.Delay(delay);
            }
            output.WriteLine($"{clock.Elapsed:mm\\:ss} kill {kill + 1}: {what}");
        }

        await using var last = await LocalHostProcess.StartAsync(data, environment, TimeSpan.FromMinutes(2), arguments);
        foreach (var (statusPath, encoder) in runs)
        {
            var done = await WaitCompletedAsync(last, statusPath, TimeSpan.FromSeconds(240));
            var progress = done.GetProperty("progress");
            Assert.True(progress.GetProperty("indexed").GetInt32() == expected, $"{encoder}: {done}");
            Assert.Equal(0, progress.GetProperty("quarantined").GetInt32());
            Assert.Equal(0, progress.GetProperty("missing").GetInt32());
            Assert.True(progress.GetProperty("activated").GetBoolean());
        }
        output.WriteLine($"{clock.Elapsed:mm\\:ss} {runs.Count} re-index runs, all completed");

        var health = await last.GetJsonAsync("/api/health/details");
        Assert.Equal(expected, health.GetProperty("codes").GetInt32());
        if (runs.Count > 0) Assert.Equal(runs[^1].Encoder, health.GetProperty("encoder").GetString());
        if (backend == "embedded")
            foreach (var file in Directory.EnumerateFiles(Path.Combine(data, "archive"), "*.tif", SearchOption.AllDirectories))
                Assert.Equal(HttpStatusCode.OK, (await last.Http.GetAsync($"/api/patches/{Path.GetFileNameWithoutExtension(file)}")).StatusCode);
    }

    /// <summary>A small real archive: the first <paramref name="perClass"/> EuroSAT patches of each class.</summary>
    private static string EuroSatSubset(string data, int perClass)
    {
        var root = Path.Combine(data, "archive");
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(RepoPaths.SharedData, "eurosat-ms")))
        {
            var target = Directory.CreateDirectory(Path.Combine(root, Path.GetFileName(folder))).FullName;
            foreach (var file in Directory.EnumerateFiles(folder, "*.tif").Order(StringComparer.Ordinal).Take(perClass))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        return root;
    }

    private static bool Seeded(string data) =>
        Directory.Exists(Path.Combine(data, "blobs", ArchiveSeeder.SeedContainer))
        && Directory.EnumerateFiles(Path.Combine(data, "blobs", ArchiveSeeder.SeedContainer)).Any();

    private static Dictionary<string, string> With(Dictionary<string, string> environment, string name, string value) =>
        new(environment) { [name] = value };

    private static async Task<bool> IsCompletedAsync(LocalHostProcess host, string statusPath)
    {
        var response = await host.Http.GetAsync(statusPath);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{statusPath}: {response.StatusCode}\n{host.Output}");
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
        Assert.NotEqual("Failed", status);
        return status == "Completed";
    }

    private static async Task<JsonElement> WaitCompletedAsync(LocalHostProcess host, string statusPath, TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; DateTime.UtcNow < deadline; await Task.Delay(200))
            if (await IsCompletedAsync(host, statusPath)) return await host.GetJsonAsync(statusPath);
        throw new TimeoutException($"{statusPath} not completed after {timeout}: {await host.GetJsonAsync(statusPath)}\n{host.Output}");
    }
}
