using System.Net;
using System.Text.Json;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Index;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Query;
using BitEarth.Core.Stores;

namespace BitEarth.Functions.Tests;

/// <summary>
/// Multi-code hashing through the service: fitted on the host's archive, dropped into the encoders container,
/// re-indexed (every code record then carries its patch's code set), and queried by id on both query paths; the answer
/// is the exact multi-code top-k that a brute force over the patches' code sets gives.
/// </summary>
public abstract class MultiCodeFlowContract(string backend) : IAsyncLifetime
{
    private LocalHostRunner Host { get; set; } = null!;

    public async Task InitializeAsync() => Host = await LocalHostRunner.StartAsync(backend, settings: Settings());

    public async Task DisposeAsync() => await Host.DisposeAsync();

    protected virtual IReadOnlyDictionary<string, string?>? Settings() => null;

    [Fact]
    public async Task A_fitted_multi_code_hasher_deploys_by_reindex_and_answers_the_exact_multi_code_top_k()
    {
        var patches = await Host.ArchivedPatchesAsync("bigearthnet/");
        var hasher = PrimitiveMultiCodeHasher.Fit(patches, 32, 5, primitives: 4, regions: 9);
        Assert.Equal("Completed", await Host.DeployAndReindexAsync(hasher, TimeSpan.FromSeconds(90)));

        var s2 = patches.Where(p => p.Modality == Modality.S2).OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var sets = s2.ToDictionary(p => p.Id, hasher.HashMany);
        Assert.Contains(sets.Values, codes => codes.Count > 1);
        foreach (var query in s2.Take(3))
        {
            var expected = Expected(sets, query.Id, k: 5);
            foreach (var path in new[] { "in-process", "durable" })
            {
                var (answered, answer) = await Host.PostJsonAsync("/api/query", new { patchId = query.Id, k = 5, target = "S2", path });
                Assert.Equal(HttpStatusCode.OK, answered);
                Assert.Equal(hasher.Version, answer.GetProperty("encoder").GetString());
                Assert.Equal(expected, answer.GetProperty("results").EnumerateArray()
                    .Select(r => (r.GetProperty("patchId").GetString()!, r.GetProperty("distance").GetInt32())).ToList());
            }
        }
    }

    /// <summary>Brute force: every other patch's distance under the search's rule, top-k by (distance, key), shown by (distance, id).</summary>
    private static List<(string, int)> Expected(Dictionary<string, IReadOnlyList<HammingCode>> sets, string queryId, int k) =>
        sets.Where(s => s.Key != queryId)
            .Select(s => (Id: s.Key, Distance: MultiCodeDistance.Of(sets[queryId], s.Value, MultiCodeSearch.Matching)))
            .OrderBy(h => h.Distance).ThenBy(h => PatchKey.Of(h.Id)).Take(k)
            .OrderBy(h => h.Distance).ThenBy(h => h.Id, StringComparer.Ordinal)
            .Select(h => (h.Id, h.Distance)).ToList();
}

public sealed class EmbeddedMultiCodeFlowTests() : MultiCodeFlowContract("embedded");

[Trait("Category", "Integration")]
[Collection(AzuriteBackend.Name)]
public sealed class AzuriteCosmosMultiCodeFlowTests() : MultiCodeFlowContract("azurite")
{
    protected override IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>
    {
        ["Cosmos:Database"] = $"mch{Guid.NewGuid():N}"[..16],
        ["Durable:TaskHub"] = $"mch{Guid.NewGuid():N}"[..16],
    };
}
