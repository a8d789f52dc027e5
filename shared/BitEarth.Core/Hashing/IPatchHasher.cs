using BitEarth.Core.Codes;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Hashing;

/// <summary>
/// Turns a patch into a binary code. <see cref="Version"/> names the learned/drawn parameters: two hashers with the
/// same version produce the same codes, so codes of different versions are never compared.
/// </summary>
public interface IPatchHasher
{
    string Version { get; }

    int Bits { get; }

    /// <summary>Modalities this hasher accepts (has parameters or a network for).</summary>
    IReadOnlySet<Modality> Modalities { get; }

    /// <summary>
    /// Whether codes of different modalities live in one Hamming space (trained cross-modally), so an S1 code may be
    /// ranked against S2 codes. A hasher that hashes each modality on its own (LSH over per-modality descriptors) does
    /// not: its cross-modal distances are meaningless, and queries across modalities are refused.
    /// </summary>
    bool SharesCodeSpace => false;

    HammingCode Hash(Patch patch);

    /// <summary>
    /// Hashes many patches (of any modalities) at once; the codes equal <see cref="Hash"/> of each, in order. A hasher
    /// whose cost is per call (a network run) overrides this to hash them in one run.
    /// </summary>
    IReadOnlyList<HammingCode> HashBatch(IReadOnlyList<Patch> patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        var codes = new HammingCode[patches.Count];
        for (int i = 0; i < codes.Length; i++) codes[i] = Hash(patches[i]);
        return codes;
    }

    /// <summary>Writes the parameters so an identical hasher can be rebuilt from them (a file or an encoders blob).</summary>
    void Save(Stream destination);
}
