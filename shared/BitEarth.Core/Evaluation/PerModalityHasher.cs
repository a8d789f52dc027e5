using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Evaluation;

/// <summary>
/// The hashers a method is scored by, one per modality: one hasher for every modality it accepts (a cross-modal
/// encoder, or a classical hasher with parameters per modality), or one fitted on each modality's patches alone. A
/// modality that got none carries why (too few labelled patches), so a table can show "n/a" for it instead of failing.
/// Owns its hashers: disposing it disposes each once.
/// </summary>
public sealed class PerModalityHasher : IDisposable
{
    private readonly IReadOnlyDictionary<Modality, IPatchHasher> _hashers;

    public PerModalityHasher(IReadOnlyDictionary<Modality, IPatchHasher> hashers, IReadOnlyDictionary<Modality, string> missing)
    {
        ArgumentNullException.ThrowIfNull(hashers);
        ArgumentNullException.ThrowIfNull(missing);
        foreach (var (modality, hasher) in hashers)
            if (!hasher.Modalities.Contains(modality))
                throw new ArgumentException($"{hasher.Version} does not hash {modality} patches.", nameof(hashers));
        foreach (var modality in missing.Keys)
            if (hashers.ContainsKey(modality))
                throw new ArgumentException($"{modality} has both a hasher and a reason for having none.", nameof(missing));
        _hashers = hashers;
        Missing = missing;
    }

    /// <summary>One hasher for every modality it accepts; <paramref name="missing"/> names the others the caller wanted.</summary>
    public static PerModalityHasher Of(IPatchHasher hasher, IReadOnlyDictionary<Modality, string>? missing = null)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        return new(hasher.Modalities.ToDictionary(m => m, _ => hasher), missing ?? new Dictionary<Modality, string>());
    }

    /// <summary>Why a modality has no hasher, for each such modality.</summary>
    public IReadOnlyDictionary<Modality, string> Missing { get; }

    public IReadOnlySet<Modality> Modalities => _hashers.Keys.ToHashSet();

    public IPatchHasher? For(Modality modality) => _hashers.GetValueOrDefault(modality);

    public void Dispose()
    {
        foreach (var hasher in _hashers.Values.Distinct()) (hasher as IDisposable)?.Dispose();
    }
}
