namespace BitEarth.Core.Hashing;

/// <summary>Files of kernel LSH (<see cref="KernelLshHasher"/>).</summary>
public sealed class KernelLshHasherKind : IHasherKind
{
    public string Name => KernelLshHasher.Kind;

    public IPatchHasher Load(Stream source) => KernelLshHasher.Load(source);
}
