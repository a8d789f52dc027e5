namespace BitEarth.Core.Change;

/// <summary>One place seen twice in one modality: <see cref="Before"/> acquired earlier than <see cref="After"/>.</summary>
public sealed record ChangePair(DatedPatch Before, DatedPatch After)
{
    public string? Place => Before.Place;
}
