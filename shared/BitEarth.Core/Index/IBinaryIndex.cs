using BitEarth.Core.Codes;

namespace BitEarth.Core.Index;

/// <summary>
/// An exact Hamming top-k index over keyed binary codes, in the shape of FAISS's IndexBinary: add (here upsert, as
/// keys name patches), remove by key, search many queries for k. Implementations trade memory and build time for
/// speed; every one returns the brute-force top-k, hits ordered by distance then key.
/// Searches may run concurrently; mutations need exclusive access.
/// </summary>
public interface IBinaryIndex
{
    /// <summary>Code length in bits; every code and query has it.</summary>
    int Bits { get; }

    /// <summary>Codes held, one per key.</summary>
    int Count { get; }

    /// <summary>Adds or replaces the code of <paramref name="key"/>.</summary>
    void Upsert(long key, HammingCode code);

    /// <summary>Removes the code of <paramref name="key"/>; false when it held none.</summary>
    bool Remove(long key);

    /// <summary>Bytes the index holds in arrays (codes, keys, tables, spare capacity), for comparing implementations.</summary>
    long MemoryBytes { get; }

    /// <summary>Exact top-k for each query, spread over threads; results are in query order.</summary>
    SearchResult[] SearchMany(IReadOnlyList<HammingCode> queries, int k, SearchOptions? options = null);
}
