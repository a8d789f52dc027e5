using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Tests.Hashing;

/// <summary>
/// Wraps a hasher: records the size of every HashBatch call (holding each for <paramref name="batchDelay"/>, as a
/// network run would, and until <see cref="Gate"/> opens when one is set), fails on patches whose id is in
/// <see cref="Poisoned"/>, and claims a shared code space or a subset of modalities when told to.
/// </summary>
internal sealed class RecordingHasher(IPatchHasher inner, TimeSpan batchDelay = default, bool shared = false,
    IReadOnlySet<Modality>? modalities = null) : IPatchHasher
{
    private readonly List<int> _batches = [];

    public string Version => inner.Version;

    public int Bits => inner.Bits;

    public IReadOnlySet<Modality> Modalities => modalities ?? inner.Modalities;

    public bool SharesCodeSpace => shared;

    public HashSet<string> Poisoned { get; } = [];

    /// <summary>When set, every batch waits for it: a test can hold the first batches while it queues more calls.</summary>
    public ManualResetEventSlim? Gate { get; init; }

    public IReadOnlyList<int> Batches { get { lock (_batches) return [.. _batches]; } }

    public HammingCode Hash(Patch patch)
    {
        if (Poisoned.Contains(patch.Id)) throw new PatchFormatException(patch.Id, "poisoned for the test");
        return inner.Hash(patch);
    }

    public IReadOnlyList<HammingCode> HashBatch(IReadOnlyList<Patch> patches)
    {
        lock (_batches) _batches.Add(patches.Count);
        Gate?.Wait();
        if (batchDelay > TimeSpan.Zero) Thread.Sleep(batchDelay);
        return patches.Select(Hash).ToList();
    }

    public void Save(Stream destination) => inner.Save(destination);
}
