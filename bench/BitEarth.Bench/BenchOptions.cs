namespace BitEarth.Bench;

/// <summary>Command line of the benchmark: sizes, code widths, queries, k, where to put data and the markdown table.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<int> Sizes { get; init; } = [1_000_000, 10_000_000];
    public IReadOnlyList<int> Bits { get; init; } = [64];
    public int Queries { get; init; } = 100;
    public int K { get; init; } = 20;
    public int Seed { get; init; } = 42;
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "bitearth-bench");
    public string? Markdown { get; init; }
    public bool Faiss { get; init; } = true;
    /// <summary>FAISS indexes to time; at 10^8 codes the hash indexes need minutes to add and several GB, so a run may keep only the flat one.</summary>
    public IReadOnlyList<string> FaissMethods { get; init; } = AllFaissMethods;
    /// <summary>The FAISS 1.15 peer program (../shared/peers/faiss/build.sh builds it); its rows run beside Debian's 1.7.3 ones.</summary>
    /// <summary>Our methods beside the flat scan (which always runs).</summary>
    public IReadOnlyList<string> Ours { get; init; } = IndexRuns.OptionalMethods;
    public string FaissBench { get; init; } = FaissPeerRuns.DefaultPath;
    /// <summary>IndexBinaryIVF (approximate) for the peer on clustered codes, as nlist:nprobe[,nprobe..]; null for none.</summary>
    public string? FaissIvf { get; init; } = "1024:8";

    private static readonly string[] AllFaissMethods = ["IndexBinaryFlat", "IndexBinaryMultiHash", "IndexBinaryHash"];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--no-faiss")
            {
                options = options with { Faiss = false };
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value.");
            string value = args[++i];
            options = name switch
            {
                "--n" => options with { Sizes = Integers(name, value) },
                "--bits" => options with { Bits = Widths(value) },
                "--queries" => options with { Queries = Integers(name, value)[0] },
                "--k" => options with { K = Integers(name, value)[0] },
                "--seed" => options with { Seed = Integers(name, value)[0] },
                "--data" => options with { DataDirectory = value },
                "--markdown" => options with { Markdown = value },
                "--faiss-methods" => options with { FaissMethods = FaissNames(value) },
                "--faiss-bench" => options with { FaissBench = value },
                "--ours" => options with { Ours = OurNames(value) },
                "--faiss-ivf" => options with { FaissIvf = value == "none" ? null : IvfSpec(value) },
                _ => throw new ArgumentException($"Unknown option {name}; known: --n, --bits, --queries, --k, --seed, --data, --markdown, --faiss-methods, --faiss-bench, --faiss-ivf, --ours, --no-faiss."),
            };
        }
        return options;
    }

    private static int[] Widths(string value)
    {
        var bits = Integers("--bits", value);
        return bits.All(b => b is 64 or 128 or 256) ? bits : throw new ArgumentException($"--bits takes 64, 128 or 256, got '{value}'.");
    }

    private static string IvfSpec(string value)
    {
        var parts = value.Split(':');
        return parts.Length == 2 && int.TryParse(parts[0], out int nlist) && nlist > 0 && parts[1].Split(',').All(p => int.TryParse(p, out int np) && np > 0)
            ? value
            : throw new ArgumentException($"--faiss-ivf takes nlist:nprobe[,nprobe..] (e.g. 1024:8) or none, got '{value}'.");
    }

    private static string[] OurNames(string value)
    {
        var names = value == "flat" ? [] : value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.All(IndexRuns.OptionalMethods.Contains)
            ? names
            : throw new ArgumentException($"--ours takes flat or some of {string.Join(", ", IndexRuns.OptionalMethods)} separated by commas (the flat scan always runs), got '{value}'.");
    }

    private static string[] FaissNames(string value)
    {
        if (value == "none") return [];
        var names = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Length > 0 && names.All(AllFaissMethods.Contains)
            ? names
            : throw new ArgumentException($"--faiss-methods takes none or some of {string.Join(", ", AllFaissMethods)} separated by commas, got '{value}'.");
    }

    private static int[] Integers(string name, string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var numbers = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Replace("_", ""), out numbers[i]) || numbers[i] < 1)
                throw new ArgumentException($"{name} takes positive integers separated by commas, got '{value}'.");
        return numbers.Length > 0 ? numbers : throw new ArgumentException($"{name} needs at least one value.");
    }
}
