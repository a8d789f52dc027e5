using BitEarth.Core.Patches;

namespace BitEarth.Core.Query;

/// <summary>A query or lookup named a patch id the archive has never ingested.</summary>
public sealed class PatchNotFoundException(string patchId) : Exception($"Patch '{patchId}' is not in the archive.")
{
    public string PatchId { get; } = patchId;
}
