using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>The checks every index makes on a search's arguments, so each rejects a bad query in the same words.</summary>
internal static class SearchArguments
{
    /// <summary>The options to search with: the defaults when none are given.</summary>
    public static SearchOptions Options(SearchOptions? options)
    {
        options ??= new SearchOptions();
        if (options.MaxThreads < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxThreads must be at least 1.");
        return options;
    }

    public static void Query(int bits, HammingCode query, int k)
    {
        if (query.Bits != bits) throw new ArgumentException($"Index holds {bits}-bit codes, got a {query.Bits}-bit query.", nameof(query));
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
    }

    public static void Queries(int bits, IReadOnlyList<HammingCode> queries, int k)
    {
        foreach (var query in queries) Query(bits, query, k);
    }
}
