using BitEarth.Core.Patches;

namespace BitEarth.Core.Change;

/// <summary>
/// The archive's change pairs: patches of one modality and one place, ordered by date, each paired with the next
/// (a place seen three times gives two pairs). Patches without a place or a date pair with nothing; two acquisitions
/// of a place at the same instant are one view, not a change, and pair with nothing either.
/// </summary>
public static class DatedPairs
{
    public static IReadOnlyList<ChangePair> From(IEnumerable<DatedPatch> patches)
    {
        ArgumentNullException.ThrowIfNull(patches);
        var pairs = new List<ChangePair>();
        foreach (var place in patches.Where(p => p.Place is not null && p.AcquiredAt is not null).GroupBy(p => (p.Modality, p.Place)))
        {
            var dated = place.OrderBy(p => p.AcquiredAt).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
            for (int i = 1; i < dated.Count; i++)
                if (dated[i].AcquiredAt > dated[i - 1].AcquiredAt) pairs.Add(new ChangePair(dated[i - 1], dated[i]));
        }
        return [.. pairs.OrderBy(p => p.Before.Modality).ThenBy(p => p.Before.Id, StringComparer.Ordinal).ThenBy(p => p.After.Id, StringComparer.Ordinal)];
    }

    /// <summary>Why <paramref name="before"/> and <paramref name="after"/> are not a change pair, or null when they are.</summary>
    public static string? Problem(DatedPatch before, DatedPatch after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Id == after.Id) return $"before and after are the same patch '{before.Id}'; a change needs two acquisitions";
        if (before.Modality != after.Modality)
            return $"before is {before.Modality} and after is {after.Modality}; a change compares two acquisitions of one modality";
        if (before.Code.Bits != after.Code.Bits) return "before and after have codes of different lengths";
        foreach (var patch in (ReadOnlySpan<DatedPatch>)[before, after])
            if (patch.AcquiredAt is null) return $"patch '{patch.Id}' has no acquisition date, so it cannot be ordered in a change";
        if (before.AcquiredAt >= after.AcquiredAt)
            return $"before ('{before.Id}', {before.AcquiredAt:u}) must be acquired earlier than after ('{after.Id}', {after.AcquiredAt:u})";
        if (before.Place is not null && after.Place is not null && before.Place != after.Place)
            return $"before ('{before.Id}') and after ('{after.Id}') do not show the same place (their footprints differ)";
        return null;
    }
}
