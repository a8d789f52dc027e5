namespace BitEarth.Core.Hashing;

/// <summary>Files of multi-code hashing over primitives (<see cref="PrimitiveMultiCodeHasher"/>).</summary>
public sealed class PrimitiveMultiCodeHasherKind : IHasherKind
{
    public string Name => PrimitiveMultiCodeHasher.Kind;

    public IPatchHasher Load(Stream source) => PrimitiveMultiCodeHasher.Load(source);
}
