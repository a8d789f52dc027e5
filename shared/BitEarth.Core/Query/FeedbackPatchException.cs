namespace BitEarth.Core.Query;

/// <summary>A patch id given as relevance feedback is not in the archive (a bad request, not a missing query patch).</summary>
public sealed class FeedbackPatchException(string role, string patchId)
    : Exception($"{role} patch '{patchId}' is not in the archive")
{
    public string PatchId { get; } = patchId;
}
