using System.Collections.Concurrent;
using BitEarth.Core.Codes;
using BitEarth.Core.Hashing;
using BitEarth.Core.Patches;

namespace BitEarth.Core.Ingest;

/// <summary>
/// Turns concurrent single-patch hash calls into batches, as a database's group commit does: a call that finds no batch
/// of its hasher and modality running hashes at once with whatever has queued; calls that arrive meanwhile queue, and
/// the next batch (at most <see cref="MaxBatch"/>) takes them all in one <see cref="IPatchHasher.HashBatch"/>. A lone
/// call waits for nothing, and N concurrent blob-trigger invocations on one instance share about one network run
/// instead of N. A batch that fails is retried patch by patch, so one bad patch fails only its own call.
/// </summary>
public sealed class HashCoalescer
{
    public const int DefaultMaxBatch = 64;

    private readonly ConcurrentDictionary<(IPatchHasher Hasher, Modality Modality), Lane> _lanes = new();

    public HashCoalescer(int maxBatch = DefaultMaxBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        MaxBatch = maxBatch;
    }

    public int MaxBatch { get; }

    public Task<HammingCode> HashAsync(IPatchHasher hasher, Patch patch)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        ArgumentNullException.ThrowIfNull(patch);
        var lane = _lanes.GetOrAdd((hasher, patch.Modality), _ => new Lane());
        var call = new Call(patch);
        bool lead;
        lock (lane)
        {
            lane.Queue.Enqueue(call);
            lead = !lane.Running;
            lane.Running = true;
        }
        if (lead) RunNext(hasher, lane);
        return call.Code.Task;
    }

    /// <summary>Runs one batch on this thread; later batches go to the thread pool, so no caller hashes for others forever.</summary>
    private void RunNext(IPatchHasher hasher, Lane lane)
    {
        List<Call> batch;
        lock (lane)
        {
            batch = new List<Call>(Math.Min(lane.Queue.Count, MaxBatch));
            while (batch.Count < MaxBatch && lane.Queue.TryDequeue(out var call)) batch.Add(call);
        }
        Run(hasher, batch);
        lock (lane)
        {
            if (lane.Queue.Count == 0)
            {
                lane.Running = false;
                return;
            }
        }
        _ = Task.Run(() => RunNext(hasher, lane));
    }

    private static void Run(IPatchHasher hasher, List<Call> batch)
    {
        IReadOnlyList<HammingCode> codes;
        try { codes = hasher.HashBatch(batch.ConvertAll(c => c.Patch)); }
        catch (Exception) when (batch.Count > 1)
        {
            foreach (var call in batch) RunAlone(hasher, call);
            return;
        }
        catch (Exception e)
        {
            batch[0].Code.TrySetException(e);
            return;
        }
        for (int i = 0; i < batch.Count; i++) batch[i].Code.TrySetResult(codes[i]);
    }

    private static void RunAlone(IPatchHasher hasher, Call call)
    {
        try { call.Code.TrySetResult(hasher.Hash(call.Patch)); }
        catch (Exception e) { call.Code.TrySetException(e); }
    }

    private sealed class Lane
    {
        public Queue<Call> Queue { get; } = new();

        public bool Running { get; set; }
    }

    private sealed record Call(Patch Patch)
    {
        public TaskCompletionSource<HammingCode> Code { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
