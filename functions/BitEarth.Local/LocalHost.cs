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
using Microsoft.Azure.Cosmos;
using Microsoft.DurableTask.Client;
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
            builder.Services.AddSingleton(_ => StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = cosmos }));
            builder.Services.AddSingleton<ICodeStore>(sp => new CosmosCodeStore(sp.GetRequiredService<CosmosClient>(), database));
            // A local host creates what it needs unless told not to (then it answers 503 naming what is missing).
            bool create = builder.Configuration.GetValue(AzureArchiveResources.CreateSettingName, defaultValue: true);
            builder.Services.AddSingleton<IArchiveResources>(sp => new AzureArchiveResources(sp.GetRequiredService<CosmosClient>(), database,
                sp.GetRequiredService<BlobServiceClient>(), create));
        }
        OrchestrationJournal? journal = null;
        EmbeddedOrchestrationLog? runs = null;
        if (options.Backend != "azurite")
        {
            builder.Services.AddSingleton<IBlobStore>(new LocalFolderBlobStore(Path.Combine(options.Data, "blobs")));
            // Created by the container so disposing the host releases the store's lock (a restart on the same data).
            builder.Services.AddSingleton<ICodeStore>(_ => new EmbeddedCodeStore(Path.Combine(options.Data, "codes")));
            runs = new EmbeddedOrchestrationLog(Path.Combine(options.Data, "durable"));
            builder.Services.AddSingleton(runs);
            journal = new OrchestrationJournal(runs);
            builder.Services.AddSingleton(journal);
        }
        builder.Services.AddSingleton(options);
        builder.Services.AddBitEarthArchive(builder.Configuration);
        builder.Services.AddFunctionRoutes();
        builder.Services.AddTransient<IngestPatch>();
        builder.Services.AddTransient<RefreshSnapshots>();
        builder.Services.AddSingleton<PatchesWatcher>();
        builder.AddLocalDurableEngine(options.Backend, storage, builder.Configuration["Durable:TaskHub"] ?? LocalDurableEngine.DefaultTaskHub, journal);

        var app = builder.Build();
        // Closed when the host stops, like the code store, so a host started again on the same data can open it.
        if (runs is not null) app.Lifetime.ApplicationStopped.Register(runs.Dispose);
        app.MapLocalDurableEngine();
        app.MapFunctionRoutes();
        return app;
    }

    /// <summary>
    /// Restarts the re-index runs the in-memory engine forgot (embedded backend), imports an --encoder package (active
    /// from the first patch on a fresh archive), seeds what the archive's copy lacks, chooses a fresh archive's encoder,
    /// ingests the patches container, and re-indexes an archive on another encoder to the --encoder one; health answers
    /// 503 until this is done.
    /// </summary>
    public static async Task<int> IngestArchiveAsync(WebApplication app, CancellationToken ct)
    {
        if (app.Services.GetService<OrchestrationJournal>() is { } journal)
            foreach (var run in await journal.ResumeAsync(app.Services.GetRequiredService<DurableTaskClient>(), ct))
                Console.WriteLine($"Re-index {run} resumed from its last checkpoint.");
        var options = app.Services.GetRequiredService<LocalHostOptions>();
        var blobs = app.Services.GetRequiredService<IBlobStore>();
        // Creates the databases and containers where allowed; otherwise says what is missing and serves 503s.
        if (await app.Services.GetRequiredService<IArchiveResources>().FindMissingAsync(ct) is { } missing)
        {
            Console.WriteLine($"Archive not ingested: {missing}.");
            return 0;
        }
        var encoder = options.Encoder is null ? null : await EncoderPackageOption.ImportAsync(app.Services, options.Encoder, ct);
        var seeded = await ArchiveSeeder.SeedAsync(blobs, options.Archive, options.Synthetic, options.SyntheticChanges, ct);
        Console.WriteLine(await DefaultEncoder.EnsureAsync(app.Services, options.DefaultEncoder, ct));
        var outcomes = await app.Services.GetRequiredService<PatchesWatcher>().PollUntilSettledAsync(ct);
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
        if (app.Services.GetRequiredService<ICodeStore>() is EmbeddedCodeStore { Quarantined: { Count: > 0 } damaged } store)
            foreach (var record in damaged)
                Console.WriteLine($"Store: {record.File} line {record.Line} (byte {record.Offset}) set aside in {store.Location}: {record.Reason}");
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
