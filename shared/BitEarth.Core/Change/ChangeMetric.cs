namespace BitEarth.Core.Change;

/// <summary>
/// How two change pairs are compared from their codes. <see cref="Sum"/>: d(before, before') + d(after, after'), the
/// Hamming distance of the concatenated codes; <see cref="Xor"/>: the distance of the change codes before XOR after
/// (which bits flipped); <see cref="AfterOnly"/>: d(after, after'), the baseline that ignores the first date.
/// </summary>
public enum ChangeMetric
{
    Sum,
    Xor,
    AfterOnly,
}
