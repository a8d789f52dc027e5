namespace BitEarth.Core.Hashing;

/// <summary>Files of supervised kernel hashing (<see cref="SupervisedKernelHasher"/>).</summary>
public sealed class SupervisedKernelHasherKind : IHasherKind
{
    public string Name => SupervisedKernelHasher.Kind;

    public IPatchHasher Load(Stream source) => SupervisedKernelHasher.Load(source);
}
