using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BitEarth.Core;
using BitEarth.Core.Change;
using BitEarth.Core.Codes;
using BitEarth.Core.Encoders;
using BitEarth.Core.Evaluation;
using BitEarth.Core.Patches;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.Local.Startup;
using Xunit.Abstractions;

namespace BitEarth.Functions.Tests;

/// <summary>
/// POST /api/query/change through the local host on the synthetic change places (5 per transition) beside a small plain
/// archive, the same for every backend: the same transition is found above chance, other places only, and every pair
/// that is not one change of one place is refused with its reason.
/// </summary>
public abstract class ChangeQueryContract(string backend, ITestOutputHelper output) : IAsyncLifetime
{
    protected const int Places = 25;
    private const int K = 10;

    /// <summary>The change places' blobs, four per place: S2 and S1 of the first date, then of the second.</summary>
    protected static readonly List<PatchBlob> ChangeBlobs = [.. SyntheticChanges.Generate(Places, seed: 7)];

    protected LocalHostRunner Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>A host whose archive holds <see cref="ChangeBlobs"/> and a plain synthetic archive.</summary>
    protected abstract Task<LocalHostRunner> StartAsync();

    private static string IdOf(PatchBlob blob) => Path.GetFileNameWithoutExtension(blob.Name);

    private static (string Before, string After) S2Pair(int place) => (IdOf(ChangeBlobs[4 * place]), IdOf(ChangeBlobs[4 * place + 2]));

    private static (string Before, string After) S1Pair(int place) => (IdOf(ChangeBlobs[4 * place + 1]), IdOf(ChangeBlobs[4 * place + 3]));

    [Fact]
    public async Task The_same_transition_is_found_above_chance_among_other_places()
    {
        var patches = ChangeBlobs.Select(b => PatchBlobReader.Read(b.Name, b.Content)).Where(p => p.Modality == Modality.S2).ToList();
        var zero = new HammingCode(64, [0UL]);
        var pairs = DatedPairs.From(patches.Select(p => new DatedPatch(p.Id, p.Modality, PlaceKey.Of(p.Footprint), p.AcquiredAt, zero, p.Labels)));
        Assert.Equal(Places, pairs.Count);
        double sum = 0;
        for (int place = 0; place < Places; place++)
        {
            var (before, after) = S2Pair(place);
            var (status, answer) = await Host.PostJsonAsync("/api/query/change", new { before, after, k = K });
            Assert.True(status == HttpStatusCode.OK, answer.ToString());
            Assert.Equal("xor", answer.GetProperty("metric").GetString());
            Assert.Equal(Places, answer.GetProperty("pairsScanned").GetInt32());
            var results = answer.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(K, results.Count);
            Assert.DoesNotContain(results, r => r.GetProperty("before").GetString() == before || r.GetProperty("after").GetString() == after);
            var distances = results.Select(r => r.GetProperty("distance").GetInt32()).ToList();
            Assert.Equal(distances.Order(), distances);
            var query = pairs.Single(p => p.Before.Id == before && p.After.Id == after);
            var ranked = results.Select(r => (IEnumerable<string>)[ChangeEvaluation.TransitionOf(new ChangePair(
                new DatedPatch("b", Modality.S2, null, null, zero, Labels(r, "labelsBefore")),
                new DatedPatch("a", Modality.S2, null, null, zero, Labels(r, "labelsAfter"))))]).ToList();
            sum += RetrievalMetrics.AveragePrecision([ChangeEvaluation.TransitionOf(query)], ranked, K);
        }
        double map = sum / Places, chance = ChangeEvaluation.Chance(pairs, K, seed: 1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{backend}: mAP@{K} of the same transition through the service {map:F3}, chance {chance:F3}"));
        Assert.True(map > chance + 0.1, $"mAP@{K} {map:F3} vs chance {chance:F3}");
    }

    [Fact]
    public async Task Two_uploads_answer_as_their_archived_copies_do()
    {
        var (before, after) = S2Pair(3);
        var (status, byId) = await Host.PostJsonAsync("/api/query/change", new { before, after, k = 5, metric = "sum" });
        Assert.Equal(HttpStatusCode.OK, status);
        using var form = new MultipartFormDataContent();
        foreach (var (field, blob) in new[] { ("before", ChangeBlobs[12]), ("after", ChangeBlobs[14]) })
        {
            var file = new ByteArrayContent(blob.Content);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            form.Add(file, field, Path.GetFileName(blob.Name));
        }
        form.Add(new StringContent("5"), "k");
        form.Add(new StringContent("sum"), "metric");
        var response = await Host.Http.PostAsync("/api/query/change", form);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var byUpload = JsonDocument.Parse(text).RootElement;
        Assert.Equal("sum", byUpload.GetProperty("metric").GetString());
        Assert.Equal(Hits(byId), Hits(byUpload));
    }

    [Fact]
    public async Task A_pair_that_is_not_one_change_of_one_place_is_refused_with_its_reason()
    {
        var (before, after) = S2Pair(0);
        var (otherBefore, _) = S2Pair(1);
        var (s1Before, s1After) = S1Pair(0);
        await RefusedAsync(new { before, after = before }, HttpStatusCode.BadRequest, "same patch");
        await RefusedAsync(new { before = after, after = before }, HttpStatusCode.BadRequest, "earlier");
        await RefusedAsync(new { before, after = s1After }, HttpStatusCode.BadRequest, "modality");
        await RefusedAsync(new { before = otherBefore, after }, HttpStatusCode.BadRequest, "same place");
        await RefusedAsync(new { before, after = "no-such-patch" }, HttpStatusCode.NotFound, "no-such-patch");
        await RefusedAsync(new { before }, HttpStatusCode.BadRequest, "required");
        await RefusedAsync(new { before, after, k = 0 }, HttpStatusCode.BadRequest, "k must be");
        await RefusedAsync(new { before, after, metric = "cosine" }, HttpStatusCode.BadRequest, "metric");
        var (status, answer) = await Host.PostJsonAsync("/api/query/change", new { before = s1Before, after = s1After, k = 3 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(answer.GetProperty("results").EnumerateArray(), r => Assert.StartsWith("S1", r.GetProperty("before").GetString(), StringComparison.Ordinal));
    }

    private async Task RefusedAsync(object body, HttpStatusCode expected, string reason)
    {
        var (status, answer) = await Host.PostJsonAsync("/api/query/change", body);
        Assert.Equal(expected, status);
        Assert.Contains(reason, answer.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static List<string> Labels(JsonElement result, string name) => [.. result.GetProperty(name).EnumerateArray().Select(l => l.GetString()!)];

    private static List<(string, string, int)> Hits(JsonElement answer) => [.. answer.GetProperty("results").EnumerateArray()
        .Select(r => (r.GetProperty("before").GetString()!, r.GetProperty("after").GetString()!, r.GetProperty("distance").GetInt32()))];
}

/// <summary>Embedded backend: the change places come in through the local host's own option (--synthetic-changes) and ingest.</summary>
public sealed class EmbeddedChangeQueryTests(ITestOutputHelper output) : ChangeQueryContract("embedded", output)
{
    protected override Task<LocalHostRunner> StartAsync() =>
        LocalHostRunner.StartAsync("embedded", synthetic: 4, defaultEncoder: DefaultEncoder.Lsh, syntheticChanges: Places);
}

/// <summary>
/// Azurite + Cosmos DB backend. Its patches container is shared by every Azurite test (and the plain archive they count),
/// so the change places are not seeded there: their codes and records go to this host's own Cosmos database, hashed by
/// the active encoder exactly as ingest would.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class AzuriteCosmosChangeQueryTests(ITestOutputHelper output) : ChangeQueryContract("azurite", output)
{
    protected override async Task<LocalHostRunner> StartAsync()
    {
        var host = await LocalHostRunner.StartAsync("azurite", defaultEncoder: DefaultEncoder.Lsh, settings: new Dictionary<string, string?>
        {
            ["Cosmos:Database"] = $"change{Guid.NewGuid():N}"[..16],
            ["Durable:TaskHub"] = $"change{Guid.NewGuid():N}"[..16],
        });
        var hasher = await host.Service<EncoderCatalog>().GetActiveAsync();
        int prefixBits = host.Service<ArchiveOptions>().PrefixBits;
        foreach (var blob in ChangeBlobs)
        {
            var patch = PatchBlobReader.Read(blob.Name, blob.Content);
            var code = hasher.Hash(patch);
            await host.Store.UpsertCodeAsync(new CodeRecord(CodeRecord.IdFor(hasher.Version, patch.Id),
                CodeRecord.ShardFor(hasher.Version, patch.Modality, code.Prefix(prefixBits)), patch.Id, hasher.Version, patch.Modality,
                code.ToBase64(), patch.Labels, blob.Name));
            await host.Store.UpsertPatchAsync(new PatchRecord(patch.Id, patch.Modality, patch.Labels, blob.Name, patch.Width, patch.Height,
                patch.PairedId, patch.AcquiredAt) { Footprint = patch.Footprint, Tile = patch.Tile });
        }
        return host;
    }
}
