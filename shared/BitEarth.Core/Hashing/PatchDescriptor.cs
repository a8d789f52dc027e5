using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// The hand-crafted feature vector a classical hasher projects, chosen per method: the spectral statistics
/// (<see cref="SpectralDescriptor"/>), LBP texture (<see cref="LocalBinaryPatterns"/>), a bag of spectral values
/// (<see cref="SpectralWords"/>, fitted per modality), or their concatenation in that order. Its name is the parts'
/// versions joined by '+' ("spectral-v1+lbp-v1"); hasher files store it, and the words' parameters beside it.
/// </summary>
public sealed class PatchDescriptor
{
    private static readonly string[] Order = [SpectralDescriptor.Version, LocalBinaryPatterns.Version, SpectralWords.Version];

    private readonly Dictionary<Modality, SpectralWords> _words;

    private PatchDescriptor(IReadOnlyList<string> parts, Dictionary<Modality, SpectralWords> words)
    {
        Parts = parts;
        _words = words;
        Name = string.Join('+', parts);
    }

    /// <summary>The spectral statistics alone: what every hasher used before descriptors were selectable.</summary>
    public static PatchDescriptor Spectral { get; } = new([SpectralDescriptor.Version], []);

    public string Name { get; }

    public IReadOnlyList<string> Parts { get; }

    public bool IsSpectralOnly => Parts is [SpectralDescriptor.Version];

    public bool UsesWords => Parts.Contains(SpectralWords.Version);

    /// <summary>Modalities this descriptor can describe: all, unless spectral words were fitted for some only.</summary>
    public bool Describes(Modality modality) => !UsesWords || _words.ContainsKey(modality);

    /// <summary>
    /// A selection as users type it ("spectral", "lbp", "bosv", or a '+'-joined mix such as "spectral+lbp"), fitted on
    /// <paramref name="sample"/> where it needs fitting (the words of each modality present in the sample).
    /// </summary>
    public static PatchDescriptor Fit(string selection, IReadOnlyList<Patch> sample, int seed, int words = SpectralWords.DefaultWords)
    {
        var parts = Parse(selection);
        var fitted = new Dictionary<Modality, SpectralWords>();
        if (parts.Contains(SpectralWords.Version))
            foreach (var modality in sample.Select(p => p.Modality).Distinct().Order())
                fitted[modality] = SpectralWords.Fit(modality, sample, words, LshHasher.ModalitySeed(seed, modality));
        return new PatchDescriptor(parts, fitted);
    }

    /// <summary>The parts named by a selection, in canonical order; unknown or repeated names are refused.</summary>
    public static IReadOnlyList<string> Parse(string selection)
    {
        var names = selection.Split('+', StringSplitOptions.TrimEntries);
        var parts = new List<string>();
        foreach (var name in names)
        {
            var part = name.ToLowerInvariant() switch
            {
                "spectral" or SpectralDescriptor.Version => SpectralDescriptor.Version,
                "lbp" or LocalBinaryPatterns.Version => LocalBinaryPatterns.Version,
                "bosv" or SpectralWords.Version => SpectralWords.Version,
                _ => throw new ArgumentException($"Unknown descriptor '{name}': use spectral, lbp, bosv or a '+'-joined mix.", nameof(selection)),
            };
            if (parts.Contains(part)) throw new ArgumentException($"Descriptor '{name}' is named twice in '{selection}'.", nameof(selection));
            parts.Add(part);
        }
        return parts.OrderBy(p => Array.IndexOf(Order, p)).ToList();
    }

    public int Length(Modality modality) => Parts.Sum(part => part switch
    {
        SpectralDescriptor.Version => SpectralDescriptor.Length(modality),
        LocalBinaryPatterns.Version => LocalBinaryPatterns.Length(modality),
        _ => Words(modality).Length,
    });

    public double[] Compute(Patch patch)
    {
        var features = new double[Length(patch.Modality)];
        int at = 0;
        foreach (var part in Parts)
        {
            switch (part)
            {
                case SpectralDescriptor.Version:
                    var spectral = SpectralDescriptor.Compute(patch);
                    spectral.CopyTo(features, at);
                    at += spectral.Length;
                    break;
                case LocalBinaryPatterns.Version:
                    int lbp = LocalBinaryPatterns.Length(patch.Modality);
                    LocalBinaryPatterns.Compute(patch, features.AsSpan(at, lbp));
                    at += lbp;
                    break;
                default:
                    var words = Words(patch.Modality);
                    words.Compute(patch, features.AsSpan(at, words.Length));
                    at += words.Length;
                    break;
            }
        }
        return features;
    }

    /// <summary>The words' parameters by modality name for a hasher file, or null when the descriptor has none.</summary>
    public Dictionary<string, SpectralWordsParameters>? WordsFile() => UsesWords
        ? _words.OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(),
            kv => new SpectralWordsParameters(kv.Value.BandMeans, kv.Value.BandStds, kv.Value.Words))
        : null;

    /// <summary>Rebuilds a descriptor from a hasher file's name and words; any inconsistency is a format error.</summary>
    public static PatchDescriptor FromFile(string? name, Dictionary<string, SpectralWordsParameters>? words)
    {
        IReadOnlyList<string> parts;
        try { parts = Parse(name ?? string.Empty); }
        catch (ArgumentException e) { throw new HasherFormatException($"descriptor '{name}': {e.Message}", e); }
        if (string.Join('+', parts) != name) throw new HasherFormatException($"descriptor '{name}' is not in canonical form.");
        if (parts.Count == 1 && parts[0] == SpectralDescriptor.Version && words is null) return Spectral;
        bool usesWords = parts.Contains(SpectralWords.Version);
        if (usesWords != words is not null)
            throw new HasherFormatException(usesWords ? $"descriptor '{name}' needs its spectral words." : "spectral words are given but the descriptor does not use them.");
        var fitted = new Dictionary<Modality, SpectralWords>();
        foreach (var (modalityName, p) in words ?? [])
        {
            if (!Enum.TryParse<Modality>(modalityName, out var modality) || modality.ToString() != modalityName)
                throw new HasherFormatException($"unknown modality '{modalityName}' in the spectral words.");
            int bands = Bands.For(modality).Count;
            int count = p.Words?.Length ?? 0;
            if (count < 2) throw new HasherFormatException($"{modalityName} spectral words need at least 2 words.");
            fitted[modality] = new SpectralWords(modality,
                HasherJson.CheckVector(p.Means, bands, $"{modalityName} word band means"),
                HasherJson.CheckVector(p.Stds, bands, $"{modalityName} word band stds"),
                HasherJson.CheckMatrix(p.Words, count, bands, $"{modalityName} words"));
        }
        return new PatchDescriptor(parts, fitted);
    }

    private SpectralWords Words(Modality modality) => _words.TryGetValue(modality, out var words) ? words
        : throw new ArgumentException($"Descriptor {Name} has no spectral words fitted for {modality}.", nameof(modality));
}

/// <summary>One modality's spectral words in a hasher file.</summary>
public sealed record SpectralWordsParameters(double[]? Means, double[]? Stds, double[][]? Words);
