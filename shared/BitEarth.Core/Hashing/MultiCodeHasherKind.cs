namespace BitEarth.Core.Hashing;

/// <summary>Files of multi-code LSH (<see cref="MultiCodeHasher"/>).</summary>
public sealed class MultiCodeHasherKind : IHasherKind
{
    public string Name => MultiCodeHasher.Kind;

    public IPatchHasher Load(Stream source) => MultiCodeHasher.Load(source);
}
