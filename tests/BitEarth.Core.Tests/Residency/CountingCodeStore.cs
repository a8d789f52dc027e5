using System.Runtime.CompilerServices;
using BitEarth.Core.Stores;

namespace BitEarth.Core.Tests.Residency;

/// <summary>
/// A code store that counts what is read from it: whole-shard reads, change-feed reads, records each returned; and can
/// fail the change-feed read with a given number, as an unreachable store fails one request among many.
/// </summary>
public sealed class CountingCodeStore(ICodeStore inner) : ICodeStore
{
    private int _wholeReads, _sinceReads;
    private long _wholeRecords, _sinceRecords;

    public string Location => inner.Location;

    public int WholeShardReads => _wholeReads;

    public long RecordsFromWholeReads => Interlocked.Read(ref _wholeRecords);

    public int SinceReads => _sinceReads;

    public long RecordsFromSinceReads => Interlocked.Read(ref _sinceRecords);

    /// <summary>The change-feed read (counting from 1) that throws an <see cref="IOException"/>; 0 for none.</summary>
    public int FailingSinceRead { get; set; }

    public Task UpsertCodeAsync(CodeRecord record, CancellationToken ct = default) => inner.UpsertCodeAsync(record, ct);

    public async IAsyncEnumerable<CodeRecord> ReadShardAsync(string shard, [EnumeratorCancellation] CancellationToken ct = default)
    {
        Interlocked.Increment(ref _wholeReads);
        await foreach (var record in inner.ReadShardAsync(shard, ct))
        {
            Interlocked.Increment(ref _wholeRecords);
            yield return record;
        }
    }

    public async IAsyncEnumerable<CodeRecord> ReadShardSinceAsync(string shard, long since, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (Interlocked.Increment(ref _sinceReads) == FailingSinceRead) throw new IOException($"store unreachable reading {shard}");
        await foreach (var record in inner.ReadShardSinceAsync(shard, since, ct))
        {
            Interlocked.Increment(ref _sinceRecords);
            yield return record;
        }
    }

    public Task UpsertPatchAsync(PatchRecord patch, CancellationToken ct = default) => inner.UpsertPatchAsync(patch, ct);

    public Task<PatchRecord?> GetPatchAsync(string patchId, CancellationToken ct = default) => inner.GetPatchAsync(patchId, ct);

    public Task<string?> GetActiveEncoderAsync(CancellationToken ct = default) => inner.GetActiveEncoderAsync(ct);

    public Task<EncoderState> GetEncoderStateAsync(CancellationToken ct = default) => inner.GetEncoderStateAsync(ct);

    public Task AddPendingEncoderAsync(string encoder, CancellationToken ct = default) => inner.AddPendingEncoderAsync(encoder, ct);

    public Task SetActiveEncoderAsync(string encoder, CancellationToken ct = default) => inner.SetActiveEncoderAsync(encoder, ct);
}
