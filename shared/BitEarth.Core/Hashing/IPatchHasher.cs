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

    /// <summary>Modalities this hasher accepts; a cross-modal encoder accepts both into one Hamming space.</summary>
    IReadOnlySet<Modality> Modalities { get; }

    HammingCode Hash(Patch patch);

    /// <summary>Writes the parameters so an identical hasher can be rebuilt from them (a file or an encoders blob).</summary>
    void Save(Stream destination);
}
