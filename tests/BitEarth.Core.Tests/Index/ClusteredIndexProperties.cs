using BitEarth.Core.Codes;
using BitEarth.Core.Index;

namespace BitEarth.Core.Tests.Index;

/// <summary>
/// The clustered index's bound does the work it claims: on well-separated clusters a query scans about its own
/// cluster (and the result is still the brute-force one); on uniform codes it scans nearly everything.
/// </summary>
public class ClusteredIndexProperties
{
    [Fact]
    public void A_query_in_a_separated_cluster_scans_little_more_than_its_cluster()
    {
        var random = new Random(11);
        const int Clusters = 32, PerCluster = 200;
        var prototypes = Enumerable.Range(0, Clusters).Select(_ => Codes.Uniform(random, 64)).ToList();
        var items = Enumerable.Range(0, Clusters * PerCluster)
            .Select(i => (Key: (long)i, Code: Codes.Flipped(random, prototypes[i % Clusters], random.Next(4))))
            .ToList();
        var index = Codes.Clustered(64, items, lists: 64);
        var queries = Enumerable.Range(0, 20).Select(q => Codes.Flipped(random, prototypes[q % Clusters], random.Next(4))).ToList();
        var results = index.SearchMany(queries, 10, new SearchOptions { MaxThreads = 1 });
        for (int q = 0; q < queries.Count; q++)
        {
            Assert.Equal(Codes.BruteForce(items, queries[q], 10), results[q].Hits);
            // Its cluster (200 codes, possibly split over two lists) plus the 64 centroids, far below the 6400 codes.
            Assert.InRange(results[q].CodesScanned, 10, 3 * PerCluster + 64);
        }
    }

    [Fact]
    public void On_uniform_codes_the_bound_cannot_prune_and_the_search_scans_nearly_everything()
    {
        var random = new Random(12);
        var items = Codes.Make(random, 64, 5000, clustered: false);
        var index = Codes.Clustered(64, items, lists: null);
        var query = Codes.Uniform(random, 64);
        var result = index.Search(query, 20);
        Assert.Equal(Codes.BruteForce(items, query, 20), result.Hits);
        Assert.True(result.CodesScanned > items.Count / 2, $"scanned {result.CodesScanned} of {items.Count}");
    }
}
