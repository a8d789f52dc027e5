using BitEarth.Core.Hashing;

namespace BitEarth.Core.Encoders;

/// <summary>
/// An encoder stored as its producer wrote it, "{version}{Extension}" in the encoders container (the trainer's ONNX
/// package zip), beside the hasher files ("{version}.json"); the host registers the formats it can load.
/// </summary>
public interface IEncoderPackageFormat
{
    /// <summary>The blob name suffix, with its dot (".zip").</summary>
    string Extension { get; }

    /// <summary>Loads a whole package; throws <see cref="HasherFormatException"/> when it is not one.</summary>
    IPatchHasher LoadPackage(Stream source);
}
