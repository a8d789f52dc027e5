using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Ingest;
using BitEarth.Core.Patches;
using BitEarth.Core.Synthetic;
using BitEarth.Core.Tests.Hashing;

namespace BitEarth.Core.Tests.Ingest;

public sealed class HashCoalescerTests
{
    private static readonly List<Patch> Patches =
        [.. SyntheticArchive.Generate(40, seed: 5).Select(b => PatchBlobReader.Read(b.Name, b.Content))];

    [Fact]
    public void Default_batch_hashing_equals_hashing_one_by_one()
    {
        IPatchHasher lsh = LshHasher.Create(64, 42);
        Assert.Equal(Patches.Select(lsh.Hash), lsh.HashBatch(Patches));
    }

    [Fact]
    public async Task Concurrent_calls_get_their_own_codes_and_share_batches()
    {
        // Deterministic, whatever the thread pool does: one call per modality leads and is held in its batch while
        // every other call queues behind it; then the queued calls must go in full batches.
        using var gate = new ManualResetEventSlim();
        var hasher = new RecordingHasher(LshHasher.Create(64, 42)) { Gate = gate };
        var coalescer = new HashCoalescer(maxBatch: 16);
        var leaders = Patches.GroupBy(p => p.Modality).Select(g => g.First()).ToList();
        var leading = leaders.Select(p => Task.Run(() => coalescer.HashAsync(hasher, p))).ToList();
        while (hasher.Batches.Count < leaders.Count) await Task.Delay(5);
        var queued = Patches.Except(leaders).Select(p => coalescer.HashAsync(hasher, p)).ToList();
        gate.Set();
        var codes = new Dictionary<Patch, HammingCode>();
        foreach (var (patch, call) in leaders.Zip(leading)) codes[patch] = await call;
        foreach (var (patch, call) in Patches.Except(leaders).Zip(queued)) codes[patch] = await call;

        Assert.All(Patches, p => Assert.Equal(hasher.Hash(p), codes[p]));
        Assert.Equal(Patches.Count, hasher.Batches.Sum());
        Assert.All(hasher.Batches, size => Assert.InRange(size, 1, 16));
        // Per modality: its leader alone, then its other calls in ceil((n - 1) / 16) batches.
        int expected = Patches.GroupBy(p => p.Modality).Sum(g => 1 + (g.Count() - 1 + 15) / 16);
        Assert.Equal(expected, hasher.Batches.Count);
    }

    [Fact]
    public async Task A_lone_call_is_hashed_at_once_in_a_batch_of_one()
    {
        var hasher = new RecordingHasher(LshHasher.Create(64, 42));
        var coalescer = new HashCoalescer();
        foreach (var patch in Patches.Take(5)) Assert.Equal(hasher.Hash(patch), await coalescer.HashAsync(hasher, patch));
        Assert.Equal([1, 1, 1, 1, 1], hasher.Batches);
    }

    [Fact]
    public async Task A_bad_patch_fails_only_its_own_call()
    {
        var hasher = new RecordingHasher(LshHasher.Create(64, 42), batchDelay: TimeSpan.FromMilliseconds(20));
        var s2 = Patches.Where(p => p.Modality == Modality.S2).Take(12).ToList();
        hasher.Poisoned.Add(s2[5].Id);
        var coalescer = new HashCoalescer();
        var calls = s2.Select(p => Task.Run(() => coalescer.HashAsync(hasher, p))).ToList();
        await Assert.ThrowsAsync<PatchFormatException>(() => calls[5]);
        for (int i = 0; i < s2.Count; i++)
            if (i != 5) Assert.Equal(hasher.Hash(s2[i]), await calls[i]);
    }
}
