namespace BitEarth.Core.Stores;

/// <summary>
/// Which encoder queries search (null before the first ingest) and which encoders re-indexes are building: ingest
/// hashes every new patch with all of them, so a patch that arrives behind a re-index's cursor is not missing from
/// the new encoder when it is activated.
/// </summary>
public sealed record EncoderState(string? Active, IReadOnlyList<string> Pending)
{
    public static EncoderState Empty { get; } = new(null, []);

    /// <summary>Adds <paramref name="encoder"/> to the pending ones; adding one already pending changes nothing.</summary>
    public EncoderState WithPending(string encoder) => Pending.Contains(encoder, StringComparer.Ordinal)
        ? this
        : this with { Pending = [.. Pending, encoder] };

    /// <summary>Makes <paramref name="encoder"/> active and no longer pending; other re-indexes stay pending.</summary>
    public EncoderState Activated(string encoder) =>
        new(encoder, [.. Pending.Where(p => !string.Equals(p, encoder, StringComparison.Ordinal))]);
}
