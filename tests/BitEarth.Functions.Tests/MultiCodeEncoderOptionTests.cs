using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;
using BitEarth.Core.Synthetic;
using BitEarth.Local.Startup;

namespace BitEarth.Functions.Tests;

/// <summary>
/// A fitted multi-code hasher file (what `fit --method mch` writes) served through the local host's --encoder: it is
/// active before the first patch is ingested, and queries by id and by upload give the exact multi-code top-k.
/// </summary>
public sealed class MultiCodeEncoderOptionTests
{
    private const int Pairs = 10, K = 5;

    [Fact]
    public async Task A_fitted_mch_hasher_file_serves_through_the_encoder_option_and_answers_the_exact_multi_code_top_k()
    {
        // The host seeds this same synthetic archive, so the hasher is fitted on the archive it serves.
        var patches = SyntheticArchive.Generate(Pairs, seed: 7).Select(b => PatchBlobReader.Read(b.Name, b.Content)).ToList();
        var hasher = PrimitiveMultiCodeHasher.Fit(patches, 32, 5, primitives: 4, regions: 9);
        var file = Path.Combine(Directory.CreateTempSubdirectory("bitearth-mch-").FullName, hasher.Version + ".json");
        await using (var output = File.Create(file)) hasher.Save(output);

        await using var host = await LocalHostRunner.StartAsync("embedded", synthetic: Pairs, defaultEncoder: DefaultEncoder.Lsh, encoder: file);

        Assert.Equal(hasher.Version, await host.Store.GetActiveEncoderAsync());
        var s2 = patches.Where(p => p.Modality == Modality.S2).ToList();
        var sets = s2.ToDictionary(p => p.Id, hasher.HashMany);
        Assert.Contains(sets.Values, codes => codes.Count > 1);
        foreach (var query in s2.OrderBy(p => p.Id, StringComparer.Ordinal).Take(3))
        {
            var expected = BruteForce(sets, query.Id);
            var (status, byId) = await host.PostJsonAsync("/api/query", new { patchId = query.Id, k = K, target = "S2" });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(hasher.Version, byId.GetProperty("encoder").GetString());
            Assert.Equal(expected, Results(byId));

            await using var zip = (await host.Blobs.OpenReadAsync(Containers.Patches, $"bigearthnet/S2/{query.Id}.zip"))!;
            using var form = new MultipartFormDataContent
            {
                { new StreamContent(zip) { Headers = { ContentType = new MediaTypeHeaderValue("application/zip") } }, "patch", $"{query.Id}.zip" },
                { new StringContent(K.ToString(System.Globalization.CultureInfo.InvariantCulture)), "k" },
                { new StringContent("S2"), "target" },
            };
            var upload = await host.Http.PostAsync("/api/query", form);
            var body = await upload.Content.ReadAsStringAsync();
            Assert.True(upload.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal(expected, Results(JsonDocument.Parse(body).RootElement));
        }
    }

    /// <summary>Every other S2 patch's distance under the search's matching rule, top-k by (distance, key), shown by (distance, id).</summary>
    private static List<(string, int)> BruteForce(Dictionary<string, IReadOnlyList<HammingCode>> sets, string queryId) =>
        sets.Where(s => s.Key != queryId)
            .Select(s => (Id: s.Key, Distance: MultiCodeDistance.Of(sets[queryId], s.Value, MultiCodeSearch.Matching)))
            .OrderBy(h => h.Distance).ThenBy(h => PatchKey.Of(h.Id)).Take(K)
            .OrderBy(h => h.Distance).ThenBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => (h.Id, h.Distance)).ToList();

    private static List<(string, int)> Results(JsonElement answer) =>
        [.. answer.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("patchId").GetString()!, r.GetProperty("distance").GetInt32()))];
}
