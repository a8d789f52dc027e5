using BitEarth.Core.Patches;

namespace BitEarth.Trainer.Training;

/// <summary>One training sample: its patch per modality (an S1/S2 pair, or a single patch) and its labels.</summary>
public sealed record TrainingExample(IReadOnlyDictionary<Modality, Patch> Views, IReadOnlyList<string> Labels)
{
    /// <summary>
    /// Samples for the given modalities: single-modality training takes every patch of that modality; cross-modal
    /// training takes the S1/S2 pairs (linked by PairedId either way) and ignores unpaired patches.
    /// </summary>
    public static IReadOnlyList<TrainingExample> From(IEnumerable<Patch> patches, IReadOnlySet<Modality> modalities)
    {
        if (modalities.Count == 1)
        {
            var only = modalities.First();
            return patches.Where(p => p.Modality == only)
                .Select(p => new TrainingExample(new Dictionary<Modality, Patch> { [only] = p }, p.Labels)).ToList();
        }
        var all = patches.ToList();
        var s2ById = all.Where(p => p.Modality == Modality.S2).ToDictionary(p => p.Id);
        var s1ById = all.Where(p => p.Modality == Modality.S1).ToDictionary(p => p.Id);
        var examples = new List<TrainingExample>();
        var used = new HashSet<string>();
        foreach (var s1 in s1ById.Values)
        {
            var s2 = s1.PairedId is { } id && s2ById.TryGetValue(id, out var found) ? found
                : s2ById.Values.FirstOrDefault(p => p.PairedId == s1.Id);
            if (s2 is null || !used.Add(s2.Id)) continue;
            examples.Add(new TrainingExample(new Dictionary<Modality, Patch> { [Modality.S1] = s1, [Modality.S2] = s2 },
                s2.Labels.Count > 0 ? s2.Labels : s1.Labels));
        }
        return examples;
    }
}
