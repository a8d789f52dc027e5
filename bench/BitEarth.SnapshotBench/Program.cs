using System.Diagnostics;
using System.Globalization;
using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.SnapshotBench;
using BitEarth.Storage;

// Times loading one encoder's resident index item by item against loading it from shard snapshots plus the change
// feed, and refreshing it from the change feed shard by shard against side by side, on the embedded stores or on
// Azurite + cosmosdb-server (tools/servers/start.sh).
// Usage: dotnet run -c Release --project bench/BitEarth.SnapshotBench -- [embedded|cosmos] [codes] [bits]
string backend = args.Length > 0 ? args[0] : "embedded";
int count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
int bits = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 64;
if (backend is not ("embedded" or "cosmos"))
{
    Console.Error.WriteLine("usage: BitEarth.SnapshotBench [embedded|cosmos] [codes] [bits]");
    return 2;
}

var options = new ArchiveOptions();
var hasher = LshHasher.Create(bits, Random.Shared.Next(1_000_000, int.MaxValue)); // an encoder of this run alone
await using var stores = await BenchStores.OpenAsync(backend);
var encoders = new EncoderCatalog(stores.Blobs, stores.Codes, options, HasherKinds.BuiltIn);
await encoders.PublishAsync(hasher);
try
{
    string load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
    Console.WriteLine($"backend {backend}; {count} codes of {bits} bits in {2 << options.PrefixBits} shards; cores {Environment.ProcessorCount}; load average {load}");

    // Steady state: the bulk is older than the stamp overlap when the snapshot is taken (a trickle of recent codes
    // marks every shard's latest second), and 1% more arrive after it, which the change feed must bring.
    var clock = Stopwatch.StartNew();
    await WriteAsync(SyntheticCodeRecords.Generate(hasher.Version, count, bits, options.PrefixBits, seed: 7));
    Report("write codes to the store", clock.Elapsed, count);
    await Task.Delay(options.StampOverlap + TimeSpan.FromSeconds(1.5));
    await WriteAsync(SyntheticCodeRecords.Generate(hasher.Version, 512, bits, options.PrefixBits, seed: 8));

    var writer = new CodeSnapshotWriter(stores.Codes, stores.Blobs, encoders, options);
    clock.Restart();
    var first = await writer.RefreshAsync(hasher.Version);
    Report($"write snapshots (first: shards read whole, {first.ShardsWritten} blobs)", clock.Elapsed, count);
    clock.Restart();
    var again = await writer.RefreshAsync(hasher.Version);
    Report($"refresh snapshots, nothing changed ({again.ShardsWritten} blobs rewritten)", clock.Elapsed, count);
    await Task.Delay(options.StampOverlap + TimeSpan.FromSeconds(1.5));
    await WriteAsync(SyntheticCodeRecords.Generate(hasher.Version, count / 100, bits, options.PrefixBits, seed: 9));

    for (int run = 1; run <= 3; run++)
    {
        var whole = await TimeLoadAsync(null);
        var fromSnapshots = await TimeLoadAsync(stores.Blobs);
        Report($"run {run}: load item by item ({whole.Loaded!.RecordsFromStore} records from the store)", whole.Loaded.Elapsed, whole.Count);
        Report($"run {run}: load from snapshots ({fromSnapshots.Loaded!.RecordsFromSnapshots} from blobs, {fromSnapshots.Loaded.RecordsFromStore} from the change feed)",
            fromSnapshots.Loaded.Elapsed, fromSnapshots.Count);
    }

    // Keeping up with other processes' writes: two resident indexes, then 1% new codes, then each follows every
    // shard's change feed, one shard after another (how refresh read before) or side by side; alternated per run.
    for (int run = 1; run <= 2; run++)
    {
        var oneByOne = await TimeLoadAsync(stores.Blobs);
        var sideBySide = await TimeLoadAsync(stores.Blobs);
        await WriteAsync(SyntheticCodeRecords.Generate(hasher.Version, count / 100, bits, options.PrefixBits, seed: 100 + run));
        var refreshes = new (string Name, ResidentIndex Index, int Concurrency)[]
        {
            ("one shard after another", oneByOne, 1), ($"{options.ShardLoadConcurrency} shards at once", sideBySide, options.ShardLoadConcurrency),
        };
        foreach (var (name, index, concurrency) in run == 1 ? refreshes : refreshes.Reverse())
        {
            clock.Restart();
            await index.RefreshIfDueAsync(stores.Codes, options with { IndexRefreshInterval = TimeSpan.Zero, ShardLoadConcurrency = concurrency }, CancellationToken.None);
            Report($"run {run}: refresh {2 << options.PrefixBits} shards' changes, {name} ({index.Count} codes after)", clock.Elapsed, count / 100);
        }
    }
    return 0;
}
finally
{
    await foreach (var name in stores.Blobs.ListAsync(Containers.Snapshots, hasher.Version + "/"))
        await stores.Blobs.DeleteAsync(Containers.Snapshots, name);
    await stores.Blobs.DeleteAsync(Containers.Encoders, EncoderCatalog.BlobName(hasher.Version));
}

Task WriteAsync(List<CodeRecord> records) =>
    Parallel.ForEachAsync(records, new ParallelOptions { MaxDegreeOfParallelism = backend == "cosmos" ? 16 : 1 },
        async (record, ct) => await stores.Codes.UpsertCodeAsync(record, ct));

Task<ResidentIndex> TimeLoadAsync(IBlobStore? snapshots) =>
    ResidentIndex.LoadAsync(stores.Codes, snapshots, hasher.Version, bits, options, CancellationToken.None);

static void Report(string step, TimeSpan elapsed, int codes) =>
    Console.WriteLine($"{step,-90} {elapsed.TotalMilliseconds,10:F0} ms {codes / elapsed.TotalSeconds,12:N0} codes/s");
