using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime;
using System.Runtime.CompilerServices;
using Azure.Storage.Blobs;
using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Local;
using BitEarth.ServiceBench;
using BitEarth.Storage;
using BitEarth.Storage.Embedded;
using Microsoft.Azure.Cosmos;

// The service at archive scale: fills a store with N code records (and their shard snapshots), starts the local host
// in this process, loads the resident index (resident bytes per code as the GC heap and RSS see them, load rate), then
// queries over HTTP on both paths at 1, 8 and 16 clients.
// Usage: dotnet run -c Release --project bench/BitEarth.ServiceBench -- --n <N> [--backend embedded|azurite] [--seconds S] [--clients 1,8,16]
int n = 1_000_000, seconds = 5, bits = 64, retries = 0;
string backend = "embedded";
int[] clients = [1, 8, 16];
for (int a = 0; a < args.Length; a++)
{
    string Value() => a + 1 < args.Length ? args[++a] : throw new ArgumentException($"{args[a]} needs a value");
    switch (args[a])
    {
        case "--n": n = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--backend": backend = Value(); break;
        case "--seconds": seconds = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--clients": clients = [.. Value().Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))]; break;
        default:
            Console.Error.WriteLine("usage: BitEarth.ServiceBench --n <N> [--backend embedded|azurite] [--seconds S] [--clients 1,8,16]");
            return 2;
    }
}
if (backend is not ("embedded" or "azurite") || n < 1000)
{
    Console.Error.WriteLine("--backend is embedded or azurite, and --n at least 1000");
    return 2;
}

var options = new ArchiveOptions();
var hasher = LshHasher.Create(bits, Random.Shared.Next(1_000_000, int.MaxValue)); // an encoder of this run alone
var data = Directory.CreateTempSubdirectory("bitearth-service-bench-").FullName;
var database = "bench-" + Guid.NewGuid().ToString("N")[..12];
var settings = new Dictionary<string, string?>
{
    ["Cosmos:Database"] = database,
    ["Durable:TaskHub"] = "ServiceBench" + Guid.NewGuid().ToString("N")[..8],
};
using var storageRequests = new StorageRequestCounter();
Console.WriteLine($"backend {backend}; {n:N0} codes of {bits} bits in {2 << options.PrefixBits} shards; cores {Environment.ProcessorCount}; {Uptime()}");

try
{
    await FillAsync();
    if (backend == "embedded")
        await MeasureStoreOpenAsync();
    await ServeAsync();
    return 0;
}
finally
{
    try
    {
        await CleanUpAsync();
    }
    catch (Exception e) when (e is CosmosException or Azure.RequestFailedException or IOException)
    {
        Console.Error.WriteLine($"clean-up failed (database {database}, folder {data}): {e.Message}");
    }
}

// The store holds N records and every shard a snapshot, as after ingest and a snapshot refresh; the last 512 records
// are a second later than the stamp overlap, so a load reads only those from the change feed.
async Task FillAsync()
{
    var (codes, blobs, close) = OpenStores();
    try
    {
        var encoders = new EncoderCatalog(blobs, codes, options, HasherKinds.BuiltIn);
        await encoders.PublishAsync(hasher);
        await codes.SetActiveEncoderAsync(hasher.Version);
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await WriteAsync(codes, 0, n - 512);
        await Task.Delay(options.StampOverlap + TimeSpan.FromSeconds(1.5));
        await WriteAsync(codes, n - 512, n);
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"fill: {n:N0} records in {clock.Elapsed.TotalSeconds:F1} s ({n / clock.Elapsed.TotalSeconds:F0}/s; this process {cpu.TotalMilliseconds * 1000 / n:F0} us CPU per record; {retries} writes retried); {Uptime()}");
        clock.Restart();
        var refresh = await new CodeSnapshotWriter(codes, blobs, encoders, options).RefreshAsync(hasher.Version);
        Console.WriteLine($"snapshots: {refresh.ShardsWritten} blobs, {refresh.Records:N0} records in {clock.Elapsed.TotalSeconds:F1} s");
        await RepeatedLoadsAsync(codes, blobs, "load before the host starts (same store and blobs, no host threads)");
    }
    finally
    {
        close();
    }
}

async Task ServeAsync()
{
    var host = LocalHost.Build(new LocalHostOptions { Backend = backend, Data = data, Port = 0, Once = true },
        b => b.Configuration.AddInMemoryCollection(settings));
    await host.StartAsync();
    try
    {
        // The service's own load, as at its first query (cold JIT); then the same load again in the running process,
        // measured alone: the GC heap and RSS before and after, after compacting collections.
        var store = host.Services.GetRequiredService<ICodeStore>();
        var blobs = host.Services.GetRequiredService<IBlobStore>();
        await host.Services.GetRequiredService<EncoderCatalog>().GetActiveAsync();
        var first = await host.Services.GetRequiredService<ResidentIndexCache>().GetAsync(hasher.Version);
        Console.WriteLine($"service load (first query): {first.Count / first.Loaded!.Elapsed.TotalSeconds / 1e6:F2} M codes/s ({first.Loaded.Elapsed.TotalMilliseconds:F0} ms)");

        // A second load beside the service's own, measured both ways: what the load adds to the heap, and what
        // dropping it gives back. The second is the index alone; the first also catches whatever else of the
        // process changed during the load (other threads' allocations, a collection of something older).
        var (heap0, rss0) = await MemoryAsync();
        var alive = await LoadAndMeasureAsync(store, blobs);
        var (heap2, rss2) = await MemoryAsync();
        Console.WriteLine($"resident codes: {alive.Count:N0} ({alive.FromSnapshots} shards from snapshots, {alive.FromStore:N0} records from the change feed, {alive.Overlay:N0} held whole)");
        Console.WriteLine($"resident bytes/code: {(double)(alive.Heap - heap2) / alive.Count:F1}");
        Console.WriteLine($"resident bytes/code, as the load added them: {(double)(alive.Heap - heap0) / alive.Count:F1}");
        Console.WriteLine($"resident arrays bytes/code: {(double)alive.ArrayBytes / alive.Count:F1}");
        Console.WriteLine($"rss: {rss0 / 1048576.0:F0} MiB before the load, {alive.Rss / 1048576.0:F0} MiB after, {rss2 / 1048576.0:F0} MiB once dropped "
            + $"({(double)(alive.Rss - rss0) / alive.Count:F1} bytes/code added, {(double)(alive.Rss - rss2) / alive.Count:F1} given back)");
        Console.WriteLine($"load: {alive.Count / alive.Wall.TotalSeconds / 1e6:F2} M codes/s ({alive.Wall.TotalMilliseconds:F0} ms wall, {alive.Cpu.TotalMilliseconds:F0} ms CPU: "
            + $"{alive.Count / Math.Max(alive.Cpu.TotalSeconds, 1e-3) / 1e6:F2} M codes per CPU-second)");
        await RepeatedLoadsAsync(store, blobs, "load in the host, 5 more runs");
        await ParseOnlyAsync(blobs);
        Console.WriteLine(Uptime());

        using var http = new HttpClient { BaseAddress = new Uri(LocalHost.BaseUrl(host)), Timeout = TimeSpan.FromMinutes(2) };
        foreach (var path in new[] { "in-process", "durable" })
            foreach (int c in clients)
                await QueryLoadAsync(http, path, c);
        Console.WriteLine(Uptime());
    }
    finally
    {
        await host.StopAsync();
        await host.DisposeAsync();
    }
}

// Loads an index and reads the heap while it is alive; the index is unreachable once this returns, so the caller's
// next reading shows the heap without it.
[MethodImpl(MethodImplOptions.NoInlining)]
async Task<LoadFigures> LoadAndMeasureAsync(ICodeStore store, IBlobStore blobs)
{
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    using var index = await ResidentIndex.LoadAsync(store, blobs, hasher.Version, bits, options, CancellationToken.None);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
    var (heap, rss) = await MemoryAsync();
    var load = index.Loaded!;
    return new LoadFigures(index.Count, load.ShardsFromSnapshots, load.RecordsFromStore, index.OverlayRecords, index.ArrayBytes, heap, rss, load.Elapsed, cpu);
}

// The process CPU clock ticks in 10 ms steps and the host's own threads (the Durable sidecar's polling) run beside a
// load: so the load is repeated, its CPU summed, and the process's CPU over as long a time with no load is printed
// beside it; before the host starts, the same loads run with no other threads of this process.
async Task RepeatedLoadsAsync(ICodeStore store, IBlobStore blobs, string label)
{
    const int Runs = 5;
    var walls = new List<double>();
    long codes = 0;
    var cpu = TimeSpan.Zero;
    for (int run = 0; run < Runs; run++)
    {
        await MemoryAsync();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        using var index = await ResidentIndex.LoadAsync(store, blobs, hasher.Version, bits, options, CancellationToken.None);
        cpu += Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        walls.Add(index.Loaded!.Elapsed.TotalSeconds);
        codes += index.Count;
    }
    await MemoryAsync();
    var idle0 = Process.GetCurrentProcess().TotalProcessorTime;
    var idleFor = TimeSpan.FromSeconds(Math.Max(1, walls.Sum()));
    await Task.Delay(idleFor);
    var idle = Process.GetCurrentProcess().TotalProcessorTime - idle0;
    var perLoad = codes / Runs;
    Console.WriteLine($"{label}: wall median {perLoad / walls.Order().ElementAt(Runs / 2) / 1e6:F2} M codes/s, best {perLoad / walls.Min() / 1e6:F2}; "
        + $"CPU {cpu.TotalMilliseconds:F0} ms for {codes:N0} codes: {codes / Math.Max(cpu.TotalSeconds, 1e-3) / 1e6:F2} M codes per CPU-second "
        + $"(the process idle over {idleFor.TotalSeconds:F1} s: {idle.TotalMilliseconds:F0} ms CPU); {Uptime()}");
}

// The snapshot format alone: every shard's index section already in memory, parsed into the packed arrays on one core.
async Task ParseOnlyAsync(IBlobStore blobs)
{
    var sections = new List<byte[]>();
    foreach (var modality in Enum.GetValues<BitEarth.Core.Patches.Modality>())
        for (int prefix = 0; prefix < 1 << options.PrefixBits; prefix++)
        {
            var name = CodeShardSnapshot.BlobName(hasher.Version, modality, prefix);
            var head = new byte[40];
            await blobs.ReadRangeAsync(Containers.Snapshots, name, 0, head);
            var section = new byte[BitConverter.ToInt64(head, 32)];
            await blobs.ReadRangeAsync(Containers.Snapshots, name, 0, section);
            sections.Add(section);
        }
    for (int run = 0; run < 5; run++)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long codes = 0;
        foreach (var section in sections) codes += ShardSnapshotIndex.Parse(section).Keys.Length;
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (run == 4)
            Console.WriteLine($"snapshot parse (index sections in memory, one thread): {codes / clock.Elapsed.TotalSeconds / 1e6:F1} M codes/s wall, {codes / Math.Max(cpu.TotalSeconds, 1e-3) / 1e6:F1} M codes per CPU-second");
    }
}

// Each client posts patch-id queries back to back for the given time, after a warm-up; latency is client-side.
async Task QueryLoadAsync(HttpClient http, string path, int concurrency)
{
    for (int i = 0; i < 3; i++) await QueryAsync(http, path, Random.Shared.Next(n));
    var latencies = new List<double>[concurrency];
    var requests0 = storageRequests.Totals;
    var until = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async client =>
    {
        latencies[client] = [];
        var random = new Random(client);
        while (until.Elapsed.TotalSeconds < seconds)
        {
            var clock = Stopwatch.StartNew();
            await QueryAsync(http, path, random.Next(n));
            latencies[client].Add(clock.Elapsed.TotalMilliseconds);
        }
    }));
    var requests = storageRequests.Totals;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    Console.WriteLine($"query {path,-10} clients {concurrency,2}: {all.Length / until.Elapsed.TotalSeconds,7:F1} q/s  p50 {Percentile(all, 0.50),8:F1} ms  p99 {Percentile(all, 0.99),8:F1} ms  ({all.Length} queries)"
        + (backend == "azurite" ? "; " + requests.Since(requests0, all.Length) : ""));
}

static async Task QueryAsync(HttpClient http, string path, int i)
{
    using var response = await http.PostAsJsonAsync("/api/query", new { patchId = BenchArchive.PatchId(i), k = 10, path });
    if (!response.IsSuccessStatusCode)
        throw new InvalidOperationException($"query {BenchArchive.PatchId(i)} on {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

// Read after the caller's thread has gone back to the pool: an async method that has just returned (a load) can still
// sit below its caller's continuation on that stack, and its frame's temporaries keep what it returned alive (seen in
// a dump: a dropped index with no GC root, yet never collected by a reading taken right after the drop).
static async Task<(long Heap, long Rss)> MemoryAsync()
{
    await Task.Delay(100);
    return Memory();
}

// After a compacting collection that gives freed memory back: what is live, and what the process holds.
static (long Heap, long Rss) Memory()
{
    GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    return (GC.GetTotalMemory(false), Process.GetCurrentProcess().WorkingSet64);
}

static string Uptime() => "uptime load " + (File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a");

// The embedded store as the host opens it: how long its replay takes and what it keeps on the GC heap per record.
async Task MeasureStoreOpenAsync()
{
    var (heap0, rss0) = await MemoryAsync();
    var clock = Stopwatch.StartNew();
    using var store = new EmbeddedCodeStore(Path.Combine(data, "codes"));
    var opened = clock.Elapsed;
    var (heap1, rss1) = await MemoryAsync();
    Console.WriteLine($"embedded store open: {n:N0} records in {opened.TotalSeconds:F1} s; GC heap {(double)(heap1 - heap0) / n:F1} bytes/record, "
        + $"RSS {(double)(rss1 - rss0) / n:F1} bytes/record; {Uptime()}");
    GC.KeepAlive(store);
}

// The embedded store appends a batch in one write: a write and a flush per record would take the fill at 10^7 to
// hours. On the Cosmos DB server (one Node.js thread) a write costs the client more CPU than the server: 32 in flight
// keep it busy without queueing past its 20 s request timeout on a loaded machine; a timed-out or throttled upsert is
// retried (upserts are idempotent).
async Task WriteAsync(ICodeStore codes, int from, int to)
{
    if (codes is EmbeddedCodeStore embedded)
    {
        const int Batch = 10_000;
        for (int start = from; start < to; start += Batch)
            await embedded.UpsertCodesAsync([.. Enumerable.Range(start, Math.Min(Batch, to - start))
                .Select(i => BenchArchive.Record(hasher.Version, i, bits, options.PrefixBits))]);
        return;
    }
    await Parallel.ForEachAsync(Enumerable.Range(from, to - from),
        new ParallelOptions { MaxDegreeOfParallelism = 32 },
        async (i, ct) =>
        {
            var record = BenchArchive.Record(hasher.Version, i, bits, options.PrefixBits);
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    await codes.UpsertCodeAsync(record, ct);
                    return;
                }
                catch (CosmosException e) when (attempt < 5 && e.StatusCode is System.Net.HttpStatusCode.ServiceUnavailable
                                                     or System.Net.HttpStatusCode.RequestTimeout or System.Net.HttpStatusCode.TooManyRequests)
                {
                    Interlocked.Increment(ref retries);
                    await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
                }
            }
        });
}

(ICodeStore Codes, IBlobStore Blobs, Action Close) OpenStores()
{
    if (backend == "embedded")
    {
        // The host opens the same folders afterwards (LocalHostOptions.Data), so the store is closed before it starts.
        var codes = new EmbeddedCodeStore(Path.Combine(data, "codes"));
        return (codes, new LocalFolderBlobStore(Path.Combine(data, "blobs")), codes.Dispose);
    }
    var client = StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = LocalHost.CosmosEmulatorConnection });
    var store = CosmosCodeStore.CreateAsync(client, database).GetAwaiter().GetResult();
    return (store, new AzureBlobStore(new BlobServiceClient(LocalHost.AzuriteConnection)), client.Dispose);
}

async Task CleanUpAsync()
{
    if (backend == "azurite")
    {
        var blobs = new AzureBlobStore(new BlobServiceClient(LocalHost.AzuriteConnection));
        await foreach (var name in blobs.ListAsync(Containers.Snapshots, hasher.Version + "/"))
            await blobs.DeleteAsync(Containers.Snapshots, name);
        await blobs.DeleteAsync(Containers.Encoders, EncoderCatalog.BlobName(hasher.Version));
        using var client = StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = LocalHost.CosmosEmulatorConnection });
        try
        {
            await client.GetDatabase(database).DeleteAsync();
        }
        catch (CosmosException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // already gone
        }
    }
    Directory.Delete(data, recursive: true);
}

internal sealed record LoadFigures(int Count, int FromSnapshots, long FromStore, int Overlay, long ArrayBytes, long Heap, long Rss, TimeSpan Wall, TimeSpan Cpu);
