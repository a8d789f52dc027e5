using System.Net;
using Azure.Storage.Blobs;
using BitEarth.Core.Ingest;
using BitEarth.Core.Stores;
using BitEarth.Functions.Hosting;
using BitEarth.Functions.Ingest;
using BitEarth.Functions.Snapshots;
using BitEarth.Local.Durable;
using BitEarth.Local.Http;
using BitEarth.Local.Ingest;
using BitEarth.Local.Startup;
using BitEarth.Local.Timers;
using BitEarth.Storage;
using BitEarth.Storage.Embedded;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Azure;

namespace BitEarth.Local;

/// <summary>
/// Builds and runs the local host: stores for the chosen backend, the Function App's classes, a Durable Task engine,
/// the HTTP routes; then seeds and ingests the archive, reports ready and prints an example query.
/// </summary>
public static class LocalHost
{
    public const string AzuriteConnection = "UseDevelopmentStorage=true";

    public const string CosmosEmulatorConnection =
        "AccountEndpoint=https://127.0.0.1:8081/;AccountKey=C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public static WebApplication Build(LocalHostOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        if (options.Archive is not null && !Directory.Exists(options.Archive))
            throw new DirectoryNotFoundException($"--archive {options.Archive} does not exist");
        if (options.Encoder is not null && !File.Exists(options.Encoder))
            throw new FileNotFoundException($"--encoder {options.Encoder} does not exist", options.Encoder);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("BitEarth", LogLevel.Information);
        // One line per ingested patch is noise on a console; quarantines are warnings and still show.
        builder.Logging.AddFilter("BitEarth.Functions.Ingest", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        configure?.Invoke(builder);

        var storage = builder.Configuration["PatchStorage"] ?? AzuriteConnection;
        if (options.Backend == "azurite")
        {
            var cosmos = builder.Configuration["Cosmos:ConnectionString"] ?? CosmosEmulatorConnection;
            var database = builder.Configuration["Cosmos:Database"] ?? "bitearth";
            builder.Services.AddAzureClients(clients => clients.AddBlobServiceClient(storage));
            builder.Services.AddSingleton<IBlobStore>(sp => new AzureBlobStore(sp.GetRequiredService<BlobServiceClient>()));
            builder.Services.AddSingleton<ICodeStore>(_ => CosmosCodeStore.CreateAsync(
                StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = cosmos }), database).GetAwaiter().GetResult());
        }
        else
        {
            builder.Services.AddSingleton<IBlobStore>(new LocalFolderBlobStore(Path.Combine(options.Data, "blobs")));
            builder.Services.AddSingleton<ICodeStore>(new EmbeddedCodeStore(Path.Combine(options.Data, "codes")));
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddBitEarthArchive(builder.Configuration);
        builder.Services.AddFunctionRoutes();
        builder.Services.AddTransient<IngestPatch>();
        builder.Services.AddTransient<RefreshSnapshots>();
        builder.Services.AddSingleton<PatchesWatcher>();
        builder.AddLocalDurableEngine(options.Backend, storage, builder.Configuration["Durable:TaskHub"] ?? LocalDurableEngine.DefaultTaskHub);

        var app = builder.Build();
        app.MapLocalDurableEngine();
        app.MapFunctionRoutes();
        return app;
    }

    /// <summary>
    /// Seeds (if empty) and ingests the archive; health answers 503 until this is done. With --encoder, its package is
    /// imported first (active from the first patch on a fresh archive) and an archive on another encoder re-indexed to it.
    /// </summary>
    public static async Task<int> IngestArchiveAsync(WebApplication app, CancellationToken ct)
    {
        var options = app.Services.GetRequiredService<LocalHostOptions>();
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        var encoder = options.Encoder is null ? null : await EncoderPackageOption.ImportAsync(app.Services, options.Encoder, ct);
        var seeded = await ArchiveSeeder.SeedAsync(blobs, options.Archive, options.Synthetic, ct);
        var outcomes = await app.Services.GetRequiredService<PatchesWatcher>().PollAsync(ct);
        Console.WriteLine($"Archive: {seeded} blobs added; ingested {outcomes.Count(o => o.Status == IngestStatus.Indexed)}, " +
            $"quarantined {outcomes.Count(o => o.Status == IngestStatus.Quarantined)}.");
        if (encoder is not null) await EncoderPackageOption.ReindexIfOtherActiveAsync(app.Services, encoder, ct);
        return outcomes.Count;
    }

    /// <summary>The HTTP address the started host listens on (the bound one when --port 0 let the system pick).</summary>
    public static string BaseUrl(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));

    public static async Task<int> RunAsync(LocalHostOptions options, CancellationToken ct)
    {
        var app = Build(options);
        var readiness = app.Services.GetRequiredService<ArchiveReadiness>();
        readiness.MarkStarting();
        await app.StartAsync(ct);
        var baseUrl = BaseUrl(app);
        Console.WriteLine($"BitEarth local host on {baseUrl} (backend: {options.Backend}, data: {options.Data})");
        await IngestArchiveAsync(app, ct);
        readiness.MarkReady();
        await ExampleQuery.PrintAsync(baseUrl, app.Services.GetRequiredService<ICodeStore>(), app.Services.GetRequiredService<IBlobStore>(), Console.Out, ct);
        if (!options.Once)
        {
            var watcher = ActivatorUtilities.CreateInstance<PatchesWatcherService>(app.Services);
            var snapshots = ActivatorUtilities.CreateInstance<SnapshotTimerService>(app.Services);
            await watcher.StartAsync(ct);
            await snapshots.StartAsync(ct);
            Console.WriteLine("Serving; drop patches into the patches container to ingest them. Ctrl+C stops.");
            await app.WaitForShutdownAsync(ct);
            await snapshots.StopAsync(CancellationToken.None);
            await watcher.StopAsync(CancellationToken.None);
        }
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
