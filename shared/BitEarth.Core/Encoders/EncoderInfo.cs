using BitEarth.Core.Patches;

namespace BitEarth.Core.Encoders;

/// <summary>
/// One encoder in the encoders container as GET api/encoders and health show it: its blob, code length, modalities,
/// whether they share one code space, and whether queries use it (active) or a re-index is building it (pending).
/// An encoder blob that does not load is listed with the reason and no parameters.
/// </summary>
public sealed record EncoderInfo(string Version, string Blob, int? Bits, IReadOnlyList<Modality>? Modalities, bool? SharedCodeSpace,
    bool Active, bool Pending, string? Error = null);
