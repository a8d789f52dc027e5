using System.Diagnostics;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Residency;
using BitEarth.Core.Stores;
using BitEarth.Local;
using BitEarth.Storage;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests.Scale;

/// <summary>
/// Three local host processes on one Azurite task hub and one Cosmos database, each capped (BitEarth:MaxResidentCodes)
/// below half of an archive of 10^6 codes: every query answers exactly what brute force over the same codes gives, and
/// after one process is SIGKILLed mid-queries the other two answer every query, in flight or new, within the stated
/// failover time. The archive's codes live in shard snapshots in Azurite (what a group load reads), written before the
/// hosts start; the store holds the records the hosts ingest (the patches container's synthetic patches), which are
/// the query patches and the change-feed tail every group load reads. (Filling 10^6 records into the Cosmos DB server
/// here takes hours: 20,000 took 361 s with the machine loaded.)
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed partial class CappedInstancesTests(ITestOutputHelper output)
{
    private const int ArchiveCodes = 1_000_000;
    private const long Cap = 450_000; // 8 groups of ~125,000: three fit, four do not
    private const int K = 10;

    /// <summary>
    /// A killed host's activities are redelivered after the work-item visibility timeout (20 s); its orchestrations move
    /// once its partition leases expire (15 s after the last renewal, found within 5 s) and their messages become visible
    /// (20 s). So a query it held answers within about 45 s of the kill; the bound leaves room for a loaded machine.
    /// </summary>
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_capped_hosts_answer_exactly_and_survive_a_kill()
    {
        var clock = Stopwatch.StartNew();
        int seed = Random.Shared.Next(1000, int.MaxValue);
        var database = $"cap{Guid.NewGuid():N}"[..16];
        var encoder = LshHasher.Create(64, seed).Version;
        var cosmos = StorageClients.CreateCosmosClient(new CosmosOptions { ConnectionString = LocalHost.CosmosEmulatorConnection });
        var store = new CosmosCodeStore(cosmos, database);
        var blobs = new AzureBlobStore(new BlobServiceClient(LocalHost.AzuriteConnection));

        var archive = await WriteArchiveAsync(blobs, store.Location, encoder);
        output.WriteLine($"{clock.Elapsed:mm\\:ss} {ArchiveCodes} codes in {archive.Shards} shard snapshots");

        var environment = new Dictionary<string, string>
        {
            ["Cosmos__Database"] = database,
            ["Durable__TaskHub"] = $"cap{Guid.NewGuid():N}"[..16],
            ["BitEarth__DefaultSeed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["BitEarth__MaxResidentCodes"] = Cap.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // No snapshot rewrites: a load that reads a snapshot while it is replaced refuses the torn read and reads the
            // shard from the store instead, which here lacks the snapshot-only codes (a real store holds every record).
            ["Local__SnapshotTimer"] = "false",
        };
        string[] arguments = ["--backend", "azurite", "--synthetic", "20", "--default-encoder", "lsh"];
        var data = Enumerable.Range(0, 3).Select(_ => Directory.CreateTempSubdirectory("bitearth-cap-").FullName).ToArray();
        var hosts = await Task.WhenAll(data.Select(d => LocalHostProcess.StartAsync(d, environment, TimeSpan.FromMinutes(4), arguments)));
        try
        {
            output.WriteLine($"{clock.Elapsed:mm\\:ss} three hosts ready");
            // Ground truth: the snapshot codes and every record the hosts ingested, latest per patch.
            var ingested = new List<CodeRecord>();
            foreach (var modality in Enum.GetValues<Modality>())
                for (int prefix = 0; prefix < 16; prefix++)
                    await foreach (var record in store.ReadShardAsync(CodeRecord.ShardFor(encoder, modality, prefix))) ingested.Add(record);
            Assert.NotEmpty(ingested);
            var truth = archive.With(ingested);
            var queries = ingested.Select(r => r.PatchId).Distinct().Order(StringComparer.Ordinal).ToList();

            // Before the kill: each host answers queries; every answer is brute force's.
            for (int i = 0; i < 3; i++)
                await AssertExactAsync(hosts[i], queries[i % queries.Count], truth, Failover);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} 3 queries exact, one on each host");

            // Kill one host with queries in flight on the other two, then keep querying the survivors.
            var inFlight = Enumerable.Range(0, 4).Select(i => AssertExactAsync(hosts[i % 2], queries[(3 + i) % queries.Count], truth, Failover)).ToList();
            await Task.Delay(300);
            var killedAt = clock.Elapsed;
            await hosts[2].KillAsync();
            var after = new List<TimeSpan>();
            for (int i = 0; i < 4; i++)
                after.Add(await AssertExactAsync(hosts[i % 2], queries[(7 + i) % queries.Count], truth, Failover));
            var during = await Task.WhenAll(inFlight);
            output.WriteLine($"{clock.Elapsed:mm\\:ss} killed host 3 at {killedAt:mm\\:ss}; in flight answered in " +
                $"{string.Join(", ", during.Select(d => $"{d.TotalSeconds:F1}"))} s; after the kill {string.Join(", ", after.Select(d => $"{d.TotalSeconds:F1}"))} s");

            // Within the cap: each survivor holds at most the cap (a group's change-feed tail may pass it briefly).
            foreach (var host in hosts[..2])
                foreach (Match m in LoadedLine().Matches(host.Output))
                    Assert.True(long.Parse(m.Groups["held"].Value, System.Globalization.CultureInfo.InvariantCulture) <= Cap + ingested.Count, m.Value);
            // Neither health details nor relevance feedback loads the whole index on a capped instance.
            var feedback = await hosts[0].Http.PostAsJsonAsync("/api/query", new { patchId = queries[0], k = K, relevant = new[] { queries[1] } });
            Assert.True(feedback.IsSuccessStatusCode, $"{feedback.StatusCode}: {await feedback.Content.ReadAsStringAsync()}");
            var details = await hosts[0].GetJsonAsync("/api/health/details");
            var held = details.GetProperty("resident").GetProperty("heldCodes").GetInt64();
            Assert.True(held <= Cap + ingested.Count, details.ToString());
            var loads = hosts.Select(h => LoadedLine().Matches(h.Output)).ToArray();
            output.WriteLine("group loads per host: " + string.Join(", ", loads.Select(l => l.Count)) + "; last counters: " +
                string.Join(" | ", loads.Where(l => l.Count > 0).Select(l => l[^1].Groups["counters"].Value)));
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync();
            await cosmos.GetDatabase(database).DeleteAsync();
            cosmos.Dispose();
        }
    }

    /// <summary>One query by <paramref name="patchId"/> (default path: durable under the cap), compared with brute force; its time.</summary>
    private static async Task<TimeSpan> AssertExactAsync(LocalHostProcess host, string patchId, Archive truth, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(within);
        var response = await host.Http.PostAsJsonAsync("/api/query", new { patchId, k = K }, cts.Token);
        var body = await response.Content.ReadAsStringAsync(cts.Token);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal("durable-fan-out", json.GetProperty("path").GetString());
        var got = json.GetProperty("results").EnumerateArray()
            .Select(r => (r.GetProperty("patchId").GetString()!, r.GetProperty("distance").GetInt32())).ToList();
        var expected = truth.TopK(patchId, K);
        Assert.Equal(expected.Select(e => e.Distance), got.Select(g => g.Item2));
        Assert.Equal(expected.Select(e => e.PatchId).Order(StringComparer.Ordinal), got.Select(g => g.Item1).Order(StringComparer.Ordinal));
        return clock.Elapsed;
    }

    /// <summary>
    /// 10^6 random 64-bit codes over both modalities, written as shard snapshots of <paramref name="encoder"/> taken from
    /// the store at <paramref name="location"/>, stamped now (so whatever the hosts ingest later is their change feed).
    /// </summary>
    private static async Task<Archive> WriteArchiveAsync(IBlobStore blobs, string location, string encoder)
    {
        var random = new Random(20261202);
        long stamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var keys = new long[ArchiveCodes];
        var codes = new ulong[ArchiveCodes];
        var modalities = new Modality[ArchiveCodes];
        var shards = new Dictionary<(Modality, int), List<CodeRecord>>();
        for (int i = 0; i < ArchiveCodes; i++)
        {
            var id = $"cap-{i:d7}";
            keys[i] = PatchKey.Of(id);
            codes[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
            modalities[i] = i % 2 == 0 ? Modality.S2 : Modality.S1;
            var shard = (modalities[i], (int)(codes[i] & 15));
            if (!shards.TryGetValue(shard, out var records)) shards[shard] = records = [];
            records.Add(new CodeRecord(CodeRecord.IdFor(encoder, id), CodeRecord.ShardFor(encoder, shard.Item1, shard.Item2), id, encoder,
                shard.Item1, new HammingCode(64, [codes[i]]).ToBase64(), ["Pastures"], $"synthetic/{id}.tif") { Stamp = stamp });
        }
        await Parallel.ForEachAsync(shards, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (shard, ct) =>
            await new CodeShardSnapshot(location, encoder, shard.Key.Item1, 64, 4, shard.Key.Item2, stamp, shard.Value).WriteBlobAsync(blobs, ct));
        return new Archive(keys, codes, modalities, i => $"cap-{i:d7}", shards.Count);
    }

    /// <summary>The codes a query ranks, and brute force over them: exact top-k, ties by key, the query patch left out.</summary>
    private sealed class Archive(long[] keys, ulong[] codes, Modality[] modalities, Func<int, string> idOf, int shards)
    {
        private readonly Dictionary<long, string> _extraIds = [];

        public int Shards { get; } = shards;

        public Archive With(IReadOnlyList<CodeRecord> records)
        {
            var latest = records.GroupBy(r => r.PatchId).Select(g => g.MaxBy(r => r.Stamp)!).ToList();
            var archive = new Archive([.. keys, .. latest.Select(r => PatchKey.Of(r.PatchId))],
                [.. codes, .. latest.Select(r => HammingCode.FromBase64(r.Code).Words[0])], [.. modalities, .. latest.Select(r => r.Modality)],
                idOf, Shards);
            foreach (var record in latest) archive._extraIds[PatchKey.Of(record.PatchId)] = record.PatchId;
            return archive;
        }

        public List<(string PatchId, int Distance)> TopK(string patchId, int k)
        {
            long query = PatchKey.Of(patchId);
            int at = Array.IndexOf(keys, query);
            Assert.True(at >= 0, $"{patchId} is not in the archive");
            ulong code = codes[at];
            var modality = modalities[at];
            var best = new List<(int Distance, long Key, int Index)>();
            for (int i = 0; i < keys.Length; i++)
            {
                if (i == at || modalities[i] != modality) continue;
                int distance = BitOperations.PopCount(codes[i] ^ code);
                if (best.Count == k && (distance, keys[i]).CompareTo((best[^1].Distance, best[^1].Key)) >= 0) continue;
                var entry = (distance, keys[i], i);
                int slot = best.FindIndex(b => (b.Distance, b.Key).CompareTo((distance, keys[i])) > 0);
                best.Insert(slot < 0 ? best.Count : slot, entry);
                if (best.Count > k) best.RemoveAt(k);
            }
            return [.. best.Select(b => (_extraIds.GetValueOrDefault(b.Key) ?? idOf(b.Index), b.Distance))];
        }
    }

    [GeneratedRegex(@"Shard group \S+ loaded: (?<held>\d+) of \d+ codes held in \d+ groups; (?<counters>group searches .*)")]
    private static partial Regex LoadedLine();
}
