namespace BitEarth.Core.Hashing;

/// <summary>One format of saved hasher file, named by the "kind" field of its JSON; <see cref="HasherKinds"/> picks it.</summary>
public interface IHasherKind
{
    string Name { get; }

    /// <summary>Loads a whole file whose "kind" field is <see cref="Name"/>.</summary>
    IPatchHasher Load(Stream source);
}
