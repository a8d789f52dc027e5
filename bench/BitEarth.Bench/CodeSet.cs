using BitEarth.Core.Codes;

namespace BitEarth.Bench;

/// <summary>
/// Packed codes and queries of one benchmark case. Uniform codes are random words; clustered codes are prototypes
/// with a few bit flips each (about bits/20), the shape learned codes take; clustered queries are fresh members.
/// Code i has key i, so FAISS ids and our keys name the same code.
/// </summary>
public sealed class CodeSet
{
    private const int Prototypes = 1024;

    private CodeSet(string dataset, int bits, ulong[] codes, ulong[] queries)
    {
        Dataset = dataset;
        Bits = bits;
        Words = HammingCode.WordCount(bits);
        Codes = codes;
        Queries = queries;
    }

    public string Dataset { get; }
    public int Bits { get; }
    public int Words { get; }
    public ulong[] Codes { get; }
    public ulong[] Queries { get; }
    public int Count => Codes.Length / Words;
    public int QueryCount => Queries.Length / Words;

    public HammingCode Query(int q) => new(Bits, Queries.AsSpan(q * Words, Words).ToArray());

    public int DistanceTo(long key, int q)
    {
        int d = 0;
        for (int w = 0; w < Words; w++) d += System.Numerics.BitOperations.PopCount(Codes[key * Words + w] ^ Queries[q * Words + w]);
        return d;
    }

    public static CodeSet Generate(string dataset, int n, int bits, int queries, int seed)
    {
        var random = new Random(seed);
        int words = HammingCode.WordCount(bits);
        var codes = new ulong[(long)n * words];
        var probes = new ulong[queries * words];
        if (dataset == "uniform")
        {
            foreach (var chunk in Chunks(codes)) random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.Span));
            random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(probes.AsSpan()));
        }
        else
        {
            var prototypes = new ulong[Prototypes * words];
            random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(prototypes.AsSpan()));
            FillFromPrototypes(random, prototypes, codes, bits);
            FillFromPrototypes(random, prototypes, probes, bits);
        }
        return new CodeSet(dataset, bits, codes, probes);
    }

    private static void FillFromPrototypes(Random random, ulong[] prototypes, ulong[] target, int bits)
    {
        int words = HammingCode.WordCount(bits);
        int maxFlips = bits / 10;
        for (long o = 0; o < target.Length; o += words)
        {
            prototypes.AsSpan(random.Next(Prototypes) * words, words).CopyTo(target.AsSpan((int)o, words));
            for (int f = random.Next(maxFlips + 1); f > 0; f--)
            {
                int bit = random.Next(bits);
                target[o + (bit >> 6)] ^= 1UL << (bit & 63);
            }
        }
    }

    /// <summary>Writes codes and queries as Bits/8 bytes each (whole words), little-endian, the layout FAISS binary indexes take.</summary>
    public (string Codes, string Queries) WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        string codes = Path.Combine(directory, $"{Dataset}-{Count}-{Bits}.codes");
        string queries = Path.Combine(directory, $"{Dataset}-{Count}-{Bits}.queries");
        WritePacked(codes, Codes);
        WritePacked(queries, Queries);
        return (codes, queries);
    }

    private static void WritePacked(string path, ulong[] words)
    {
        using var file = File.Create(path);
        foreach (var chunk in Chunks(words)) file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chunk.Span));
    }

    // A byte span over more than 2^28 words would pass int.MaxValue bytes (10^8 256-bit codes are 3.2 GB).
    private static IEnumerable<Memory<ulong>> Chunks(ulong[] words)
    {
        const int Words = 1 << 27;
        for (long from = 0; from < words.Length; from += Words) yield return words.AsMemory((int)from, (int)Math.Min(Words, words.Length - from));
    }
}
