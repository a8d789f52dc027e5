using System.Diagnostics;
using System.Globalization;
using BitEarth.Core;
using BitEarth.Core.Encoders;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.IngestBench;
using BitEarth.Onnx;
using BitEarth.Storage.Embedded;

// Ingest throughput: read + hash + upsert on the embedded stores, per encoder, input size and batch size.
// batch 1: one blob at a time (IngestAsync). batch B > 1: re-index batches of B (IngestBatchAsync, one HashBatch),
// and B concurrent single-blob ingests through the HashCoalescer (the Function App's path under load).
var options = BenchOptions.Parse(args);
var invariant = CultureInfo.InvariantCulture;
var onnx = new OnnxSessionFactory(options.Provider);
Console.WriteLine($"ONNX provider: {onnx.Provider}{(onnx.FallbackReason is { } why ? $" (auto fell back: {why})" : "")}; " +
    $"{Environment.ProcessorCount} cores; {options.Patches} S2 patches 120x120 per run");

var root = Directory.CreateTempSubdirectory("bitearth-ingestbench-").FullName;
try
{
    var blobs = new LocalFolderBlobStore(Path.Combine(root, "blobs"));
    var names = new List<string>();
    foreach (var blob in SyntheticArchive.Generate(options.Patches, seed: 11).Where(b => b.Name.Contains("/S2/", StringComparison.Ordinal)))
    {
        await blobs.WriteAsync(Containers.Patches, blob.Name, new MemoryStream(blob.Content));
        names.Add(blob.Name);
    }
    var sample = PatchBlobReader.Read(names[0], await ReadAllAsync(blobs, names[0]));

    Console.WriteLine();
    Console.WriteLine("| encoder | input px | batch | path | patches/s | patches per CPU-s | load (1 min) |");
    Console.WriteLine("|---|---:|---:|---|---:|---:|---:|");
    foreach (var spec in options.Encoders)
    {
        using var built = Encoders.Build(spec, sample, onnx);
        foreach (var batch in options.Batches)
        {
            var paths = batch == 1 ? new[] { "single" } : ["batch", "coalesced"];
            foreach (var path in paths)
            {
                var archiveOptions = new ArchiveOptions();
                using var store = new EmbeddedCodeStore(Path.Combine(root, $"codes-{Guid.NewGuid():N}"));
                var catalog = new EncoderCatalog(blobs, store, archiveOptions, HasherKinds.BuiltIn);
                await catalog.PublishAsync(built.Hasher);
                var indexes = new ResidentIndexCache(store, catalog, archiveOptions, blobs);
                var ingestor = new PatchIngestor(blobs, store, catalog, indexes, archiveOptions, path == "coalesced" ? new HashCoalescer(batch) : null);
                await RunAsync(ingestor, built.Hasher, names.Take(Math.Max(2 * batch, 16)).ToList(), batch, path); // warm-up
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                await RunAsync(ingestor, built.Hasher, names, batch, path);
                clock.Stop();
                var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                Console.WriteLine(string.Create(invariant,
                    $"| {spec.Name} | {spec.InputSize} | {batch} | {path} | {names.Count / clock.Elapsed.TotalSeconds:F1} | {names.Count / cpuSeconds:F1} | {Load.OneMinute()} |"));
                indexes.Dispose();
            }
        }
    }
}
finally
{
    Directory.Delete(root, recursive: true);
}

static async Task RunAsync(PatchIngestor ingestor, IPatchHasher hasher, List<string> names, int batch, string path)
{
    switch (path)
    {
        case "single":
            foreach (var name in names) Check(await ingestor.IngestAsync(name, hasher));
            break;
        case "batch":
            foreach (var chunk in names.Chunk(batch)) foreach (var outcome in await ingestor.IngestBatchAsync(chunk, hasher)) Check(outcome);
            break;
        default:
            // B invocations in flight at once, as a Functions instance runs concurrent blob triggers.
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = batch },
                async (name, ct) => Check(await ingestor.IngestAsync(name, hasher, ct)));
            break;
    }
}

static void Check(IngestOutcome outcome)
{
    if (outcome.Status != IngestStatus.Indexed) throw new InvalidOperationException($"{outcome.Blob}: {outcome.Status} {outcome.Reason}");
}

static async Task<byte[]> ReadAllAsync(IBlobStore blobs, string name)
{
    await using var stream = (await blobs.OpenReadAsync(Containers.Patches, name))!;
    using var bytes = new MemoryStream();
    await stream.CopyToAsync(bytes);
    return bytes.ToArray();
}
