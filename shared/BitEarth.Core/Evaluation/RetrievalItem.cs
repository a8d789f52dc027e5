using BitEarth.Core.Codes;

namespace BitEarth.Core.Evaluation;

/// <summary>One archive item to evaluate: its id (tie-breaker), ground-truth labels and one or more codes.</summary>
public sealed record RetrievalItem(string Id, IReadOnlyCollection<string> Labels, IReadOnlyList<HammingCode> Codes)
{
    public RetrievalItem(string id, IReadOnlyCollection<string> labels, HammingCode code) : this(id, labels, [code]) { }
}
