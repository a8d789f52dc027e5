using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Functions.Tests.Http;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests.Fuzz;

/// <summary>
/// "Nobody unauthorised, nothing unexpected": seeded mutations of the real TIFFs and zips in ../shared/data, and of JSON
/// and multipart request bodies, through the patch readers and the local host's HTTP routes. Every input must end in a
/// patch or a <see cref="PatchFormatException"/> (readers), or a 2xx answer or a 4xx JSON reason (routes): no other
/// exception, no 500, no input slower than its timeout, and a bounded heap.
/// </summary>
public sealed class HostileInputTests(EdgeHost fixture, ITestOutputHelper output) : IClassFixture<EdgeHost>
{
    private const int TiffInputs = 4000;
    private const int ZipInputs = 2500;
    private const int JsonInputs = 2600;
    private const int MultipartInputs = 1200;
    private const int RouteInputs = 400;
    private static readonly TimeSpan ReaderTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private const long HeapLimit = 512L << 20;
    private const long InputAllocationLimit = 400L << 20;
    private const string Boundary = "fuzz-boundary-7";

    private static readonly Lazy<IReadOnlyList<PatchBlob>> Tiffs = new(() =>
        ArchiveFolder.Enumerate(Path.Combine(RepoPaths.SharedData, "eurosat-ms")).ToList());

    private static readonly Lazy<IReadOnlyList<PatchBlob>> Zips = new(() =>
        ArchiveFolder.Enumerate(Path.Combine(RepoPaths.SharedData, "bigearthnet-v1"))
            .Concat(ArchiveFolder.Enumerate(Path.Combine(RepoPaths.SharedData, "bigearthnet-v2"))).ToList());

    [Fact]
    public void Mutated_tiffs_and_zips_end_in_a_patch_or_a_patch_format_error()
    {
        var ledger = new FuzzLedger();
        var clock = Stopwatch.StartNew();
        var mutator = new Mutator(seed: 15);
        for (int i = 0; i < TiffInputs; i++)
        {
            var seed = mutator.Pick(Tiffs.Value);
            var bytes = MutateTiff(mutator, seed.Content);
            // Ingest names carry the class folder; an upload is its file name alone.
            if (i % 2 == 0) Read(ledger, "tiff", $"{seed.Name} #{i}", () => PatchBlobReader.Read(seed.Name, bytes));
            else Read(ledger, "tiff-upload", $"{seed.Name} #{i}", () => PatchBlobReader.ReadUpload(Path.GetFileName(seed.Name), new MemoryStream(bytes)));
            if (i % 500 == 0) AssertHeap(ledger);
        }
        for (int i = 0; i < ZipInputs; i++)
        {
            var seed = mutator.Pick(Zips.Value);
            var bytes = MutateZip(mutator, seed.Content);
            Read(ledger, "zip", seed.Name, () => PatchBlobReader.Read(seed.Name, bytes));
            if (i % 500 == 0) AssertHeap(ledger);
        }
        Report(ledger, clock);
    }

    [Fact]
    public async Task Mutated_json_multipart_and_route_inputs_get_answers_or_4xx_reasons()
    {
        var ledger = new FuzzLedger();
        var clock = Stopwatch.StartNew();
        var ids = new List<string>();
        await foreach (var name in fixture.Host.Blobs.ListAsync(Containers.Patches)) ids.Add(Path.GetFileNameWithoutExtension(name));
        var mutator = new Mutator(seed: 1515);

        // Inputs are generated up front (one seeded sequence), then sent four at a time.
        var requests = new List<(string Family, Func<HttpRequestMessage> Build)>();
        for (int i = 0; i < JsonInputs; i++)
        {
            var (route, body) = i % 3 == 0 ? ("/api/query", JsonGenerator.Value(mutator, ids)) : JsonSeed(mutator, ids);
            var text = i % 3 == 0 ? body : mutator.MutateText(body);
            requests.Add(("json", () => new HttpRequestMessage(HttpMethod.Post, route)
            {
                Content = new StringContent(text, Encoding.UTF8, "application/json"),
            }));
        }
        for (int i = 0; i < MultipartInputs; i++)
        {
            var (contentType, body) = Multipart(mutator);
            requests.Add(("multipart", () =>
            {
                var content = new ByteArrayContent(body);
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                return new HttpRequestMessage(HttpMethod.Post, "/api/query") { Content = content };
            }));
        }
        for (int i = 0; i < RouteInputs; i++)
        {
            var segment = Uri.EscapeDataString(mutator.MutateText(mutator.Pick(ids), maxSteps: 3));
            if (segment.Length == 0) segment = "%20";
            var route = i % 2 == 0 ? $"/api/patches/{segment}" : $"/api/reindex/{segment}";
            requests.Add(("route", () => new HttpRequestMessage(HttpMethod.Get, route)));
        }

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            ledger.Count(request.Family);
            await SendAsync(ledger, request.Family, request.Build());
            if (ledger.Inputs % 500 == 0) AssertHeap(ledger);
        });
        Report(ledger, clock);
    }

    private static byte[] MutateTiff(Mutator mutator, byte[] tiff)
    {
        // Three in four mutations hit the header or the image file directory (offsets, counts, tag values).
        int directory = tiff.Length >= 8 ? (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4)), (uint)tiff.Length - 1) : 0;
        return mutator.Next(3) switch
        {
            0 => mutator.Mutate(tiff, focusStart: 0, focusLength: 16),
            1 => mutator.Mutate(tiff, maxSteps: 6, focusStart: directory, focusLength: 400),
            _ => mutator.Mutate(tiff, maxSteps: 8, other: mutator.Pick(Tiffs.Value).Content),
        };
    }

    private static byte[] MutateZip(Mutator mutator, byte[] zip)
    {
        switch (mutator.Next(4))
        {
            case 0: // the zip's own bytes: local headers, central directory (at the end), deflate streams
                return mutator.Mutate(zip, maxSteps: 6, focusStart: Math.Max(0, zip.Length - 2000), focusLength: 2000);
            case 1:
                return mutator.Mutate(zip, maxSteps: 6);
            default: // a well-formed zip around mutated or rearranged entries, so the band readers see the damage
                var entries = Entries(zip);
                var names = entries.Keys.ToList();
                var target = mutator.Pick(names);
                switch (mutator.Next(5))
                {
                    case 0: entries[target] = mutator.Mutate(entries[target], maxSteps: 6, focusStart: 0, focusLength: 400); break;
                    case 1: entries.Remove(target); break;
                    case 2: entries[mutator.Pick(["../x.tif", "a/b/c.tif", "other/" + Path.GetFileName(target), "./x.tif", "/", Path.GetFileName(target) + "x"])] = entries[target]; break;
                    case 3: entries[target] = mutator.Pick(Tiffs.Value).Content; break;
                    default: entries[target] = mutator.Mutate(entries[target], maxSteps: 8); break;
                }
                return Zip(entries, mutator.Next(2) == 0 ? CompressionLevel.NoCompression : CompressionLevel.Fastest);
        }
    }

    private static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    private static byte[] Zip(Dictionary<string, byte[]> entries, CompressionLevel level)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var stream = archive.CreateEntry(name, level).Open();
                stream.Write(content);
            }
        return buffer.ToArray();
    }

    private static (string Route, string Body) JsonSeed(Mutator mutator, IReadOnlyList<string> ids) => mutator.Next(6) switch
    {
        0 => ("/api/query", JsonSerializer.Serialize(new { patchId = mutator.Pick(ids), k = 5, target = "any", path = "in-process" })),
        1 => ("/api/query", JsonSerializer.Serialize(new { patchId = mutator.Pick(ids), k = 3, target = "S1", path = "durable-fan-out" })),
        2 => ("/api/query", JsonSerializer.Serialize(new { patchId = mutator.Pick(ids) })),
        // Re-index seeds are all refused (a mutation that makes one valid starts a small re-index, which is fine).
        3 => ("/api/reindex", "{\"encoder\": \"lsh-none\", \"batchSize\": 10}"),
        4 => ("/api/reindex", "{\"bits\": 12, \"seed\": 7}"),
        _ => ("/api/reindex", "{\"bits\": 64, \"seed\": 7, \"batchSize\": 0, \"pageSize\": 99999}"),
    };

    private static (string ContentType, byte[] Body) Multipart(Mutator mutator)
    {
        var file = mutator.Next(3) == 0 ? mutator.Pick(Zips.Value) : mutator.Pick(Tiffs.Value);
        var content = mutator.Next(2) == 0 ? file.Content : file.Name.EndsWith(".zip", StringComparison.Ordinal)
            ? MutateZip(mutator, file.Content) : MutateTiff(mutator, file.Content);
        var fileName = mutator.Next(8) == 0 ? mutator.Pick(["", "x", "../../etc/passwd", "a.tif.zip", "\u00e9.tif", "x.TIFF"]) : Path.GetFileName(file.Name);
        var k = mutator.Pick(["5", "0", "-1", "abc", "1001", "", "99999999999", "3"]);
        var target = mutator.Pick(["any", "S1", "S2", "1", "S1,S2", ""]);
        using var body = new MemoryStream();
        void Text(string s) => body.Write(Encoding.UTF8.GetBytes(s));
        Text($"--{Boundary}\r\nContent-Disposition: form-data; name=\"k\"\r\n\r\n{k}\r\n");
        Text($"--{Boundary}\r\nContent-Disposition: form-data; name=\"target\"\r\n\r\n{target}\r\n");
        Text($"--{Boundary}\r\nContent-Disposition: form-data; name=\"patch\"; filename=\"{fileName}\"\r\nContent-Type: application/octet-stream\r\n\r\n");
        body.Write(content);
        Text($"\r\n--{Boundary}--\r\n");
        var bytes = body.ToArray();
        var contentType = $"multipart/form-data; boundary={Boundary}";
        switch (mutator.Next(4))
        {
            case 0: bytes = mutator.Mutate(bytes, maxSteps: 4, focusStart: 0, focusLength: 400); break; // the framing
            case 1: bytes = mutator.Mutate(bytes, maxSteps: 2, focusStart: Math.Max(0, bytes.Length - 64), focusLength: 64); break;
            case 2: contentType = mutator.Pick(["multipart/form-data", "multipart/form-data; boundary=", $"multipart/form-data; boundary=\"{Boundary}\"",
                "multipart/form-data; boundary=other", $"multipart/form-data; boundary={new string('b', 200)}", "application/x-www-form-urlencoded"]); break;
        }
        return (contentType, bytes);
    }

    private static void Read(FuzzLedger ledger, string family, string seed, Func<Patch> read)
    {
        ledger.Count(family);
        var run = Task.Run(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { return read(); }
            finally
            {
                long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                ledger.Allocated(allocated);
                if (allocated > InputAllocationLimit) ledger.Fail($"{family} from {seed}: one input allocated {allocated >> 20} MiB");
            }
        });
        try
        {
            if (!run.Wait(ReaderTimeout)) ledger.Fail($"{family} from {seed}: no result within {ReaderTimeout}");
        }
        catch (AggregateException e) when (e.InnerException is PatchFormatException format)
        {
            ReasonIsPlain(ledger, family, seed, format.Message);
        }
        catch (AggregateException e)
        {
            ledger.Fail($"{family} from {seed}: {e.InnerException}");
        }
    }

    private async Task SendAsync(FuzzLedger ledger, string family, HttpRequestMessage request)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout);
        var what = $"{family} {request.Method} {request.RequestUri}";
        try
        {
            using var response = await fixture.Host.Http.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            int status = (int)response.StatusCode;
            if (status >= 500) { ledger.Fail($"{what}: {status} {text}"); return; }
            // Kestrel itself refuses a path holding a decoded NUL with an empty 400, before any route runs.
            if (status == 400 && text.Length == 0 && request.RequestUri!.OriginalString.Contains("%00", StringComparison.Ordinal))
            {
                ledger.Reason("(server) NUL in the request path");
                return;
            }
            if (status >= 400)
            {
                string? reason = null;
                try { reason = JsonDocument.Parse(text).RootElement.GetProperty("error").GetString(); }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
                if (string.IsNullOrWhiteSpace(reason)) ledger.Fail($"{what}: {status} without a JSON reason: {text}");
                else ReasonIsPlain(ledger, family, what, reason);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            ledger.Fail($"{what}: no answer within {RequestTimeout}");
        }
        finally { request.Dispose(); }
    }

    // Reasons are plain: no exception or .NET type names reach a quarantine record or a client.
    private static void ReasonIsPlain(FuzzLedger ledger, string family, string what, string reason)
    {
        ledger.Reason(reason);
        if (reason.Contains("Exception", StringComparison.Ordinal) || reason.Contains("System.", StringComparison.Ordinal))
            ledger.Fail($"{family} {what}: reason names .NET internals: {reason}");
    }

    /// <summary>What stays reachable (after a full collection) is bounded, and so is what one input may allocate.</summary>
    private static void AssertHeap(FuzzLedger ledger)
    {
        long peak = ledger.SampleHeap();
        Assert.True(peak < HeapLimit, $"managed heap held {peak >> 20} MiB after a collection");
        Assert.True(ledger.MaxAllocated < InputAllocationLimit, $"one input allocated {ledger.MaxAllocated >> 20} MiB:\n{string.Join("\n", ledger.Failures)}");
    }

    private void Report(FuzzLedger ledger, Stopwatch clock)
    {
        output.WriteLine($"{ledger.Summary()} in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var line in ledger.TopReasons(40)) output.WriteLine(line);
        Assert.True(ledger.Failures.Count == 0, string.Join("\n", ledger.Failures));
    }
}
