namespace BitEarth.Core.Hashing;

/// <summary>Files of random-projection LSH (<see cref="LshHasher"/>).</summary>
public sealed class LshHasherKind : IHasherKind
{
    public string Name => LshHasher.Kind;

    public IPatchHasher Load(Stream source) => LshHasher.Load(source);
}
